import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraTestSupport
import Testing

/// Redis itself crashes while the cluster works: with its append-only file, nothing accepted is lost.
@Suite("End to end: Redis killed and restarted under load", .timeLimit(.minutes(10)))
struct RedisRestartTests {
    @Test("every accepted workflow completes; submissions during the outage get 503 and leave nothing behind")
    func acceptedWorkIsNotLostWhenRedisRestarts() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orchestra-aof-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let durable = ["--appendonly", "yes", "--appendfsync", "always", "--dir", directory.path]
        var server = try RedisServerProcess(extraArguments: durable)
        let port = server.port
        defer { server.stop() }

        try await withCluster(environment: ["ECHO_LATENCY_MS": "1000"], redisURL: server.url) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            try cluster.startWorker()
            var accepted: [String] = []
            for index in 0..<12 {
                accepted.append(try await gateway.submit(Self.graph(id: "before-\(index)")))
            }
            // The last one takes three 1 s steps once it starts: Redis dies with it (and others) in flight.
            _ = try await gateway.waitUntil(accepted[11]) { $0.tasks.contains { $0.status == .running } }

            server.kill()
            let refused = try await gateway.request(.POST, "/run-graph", json: Self.graph(id: "during-outage"))
            #expect(refused.status == 503, "\(refused.text)")
            #expect(refused.text.contains("Redis"))
            #expect(try await gateway.request(.GET, "/health").status == 503)
            try await Task.sleep(for: .seconds(1))  // the outage lasts a second

            server = try RedisServerProcess(port: port, extraArguments: durable)
            // The gateway answers 503 at once until its background reconnect lands (within its
            // capped backoff); a client retries, as the TypeScript client does.
            let deadline = ContinuousClock.now + .seconds(10)
            var after = try await gateway.request(.POST, "/run-graph", json: Self.graph(id: "after"))
            while after.status == 503, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                after = try await gateway.request(.POST, "/run-graph", json: Self.graph(id: "after"))
            }
            #expect(after.status == 200, "\(after.text)")
            accepted.append("after")
            for id in accepted {
                let finished = try await gateway.waitForTerminal(id, timeout: .seconds(60))
                #expect(finished.status == .completed, "\(id): \(finished.status)")
                #expect(finished.tasks.allSatisfy { $0.status == .completed && $0.result?["output"]?["message"]?.stringValue != nil })
            }
            #expect(try await gateway.request(.GET, "/status/during-outage").status == 404)
        }
    }

    /// Two roots, a join and a tail: `a`, `b` → `c` → `d`.
    static func graph(id: String) -> String {
        #"""
        {"workflow_id": "\#(id)", "workflow_type": "graph", "tasks": [
          {"agent_id": "a", "agent_role": "backend", "input_data": {"task": "A"}},
          {"agent_id": "b", "agent_role": "frontend", "input_data": {"task": "B"}},
          {"agent_id": "c", "agent_role": "qa", "input_data": {"task": "C"}, "depends_on": ["a", "b"]},
          {"agent_id": "d", "agent_role": "debugger", "input_data": {"task": "D"}, "depends_on": ["c"]}]}
        """#
    }
}
