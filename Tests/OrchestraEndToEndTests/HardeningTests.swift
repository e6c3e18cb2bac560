import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraProviderTestSupport
import OrchestraRedis
import OrchestraTestSupport
import Testing

/// Faults that once broke promises: a clock that runs ahead, a Redis blip, many shards with little
/// capacity, a changed shard count, secrets in debug logs.
@Suite("End to end: hardening against faults", .serialized, .timeLimit(.minutes(10)))
struct HardeningTests {
    @Test("a worker whose clock runs 60 s ahead steals no lease, and a gateway 60 s ahead reorders nothing")
    func clocksThatRunAheadChangeNothing() async throws {
        let slow = StubResponse(body: OpenAIFixtures.success, delay: .seconds(4))
        try await LoopbackProviderServer.with([slow]) { server, baseURL in
            let environment = ["OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-test", "TASK_LEASE_SECONDS": "3"]
            try await withCluster(environment: environment) { cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                let honest = try cluster.startWorker()
                let id = try await gateway.submit(
                    #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "qa", "input_data": {"task": "slow"}, "llm_model": "gpt-4o"}]}"#
                )
                _ = try await gateway.waitUntil(id) { $0.tasks[0].status == .running }
                // This worker's reaper sees every lease through a clock a minute fast.
                try cluster.startWorker(clockOffset: "+60s")
                let finished = try await gateway.waitForTerminal(id, timeout: .seconds(30))
                #expect(finished.status == .completed)
                #expect(finished.tasks[0].attempts == 1, "the lease was never taken away")
                #expect(finished.tasks[0].workerId?.contains("-\(honest.pid)-") == true)
                #expect(server.requests.count == 1, "one provider call")

                // Listing order follows the server's clock, whatever the submitting gateway's clock says.
                let ahead = GatewayHTTP(try await cluster.startGateway(clockOffset: "+60s"))
                let first = try await ahead.submit(Self.oneTask)
                let second = try await gateway.submit(Self.oneTask)
                let listed = try await gateway.request(.GET, "/workflows?limit=2").decode([WorkflowStatus].self)
                #expect(listed.map(\.workflowId) == [second, first], "newest first by the server's clock")
            }
        }
    }

    @Test("a Redis outage shorter than the lease costs no second provider call")
    func aRedisBlipBillsNothingTwice() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orchestra-blip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let durable = ["--appendonly", "yes", "--appendfsync", "always", "--dir", directory.path]
        var redis = try RedisServerProcess(extraArguments: durable)
        let port = redis.port
        defer { redis.stop() }
        // Answers arrive while Redis is down: the workers must keep them until it is back.
        let answer = StubResponse(body: OpenAIFixtures.success, delay: .milliseconds(1500))
        try await LoopbackProviderServer.with([answer]) { server, baseURL in
            let environment = ["OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-test", "TASK_LEASE_SECONDS": "10"]
            try await withCluster(environment: environment, redisURL: redis.url) { cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                try cluster.startWorker()
                try cluster.startWorker()
                var ids: [String] = []
                for index in 0..<8 {
                    let tasks = (0..<4).map {
                        #"{"agent_id": "t\#($0)", "agent_role": "qa", "input_data": {"task": "blip \#(index).\#($0)"}, "llm_model": "gpt-4o"}"#
                    }
                    ids.append(try await gateway.submit(#"{"workflow_type": "parallel", "tasks": [\#(tasks.joined(separator: ","))]}"#))
                }
                // Every call is in flight, then Redis dies for about two seconds.
                try await eventually(within: .seconds(20)) { server.requests.count >= 32 }
                redis.kill()
                try await Task.sleep(for: .seconds(2))
                redis = try RedisServerProcess(port: port, extraArguments: durable)
                for id in ids {
                    let finished = try await gateway.waitForTerminal(id, timeout: .seconds(60))
                    #expect(finished.status == .completed, "\(id)")
                }
                let instructions = server.requests.compactMap { request in
                    (request.messages.last?["content"] as? String)?.split(separator: "\n").first.map(String.init)
                }
                #expect(server.requests.count == 32, "each task called the provider once")
                #expect(Set(instructions).count == 32)
            }
        }
    }

    @Test("with 16 shards and WORKER_CONCURRENCY=2, a ready task starts at once")
    func manyShardsFewSlotsStartAtOnce() async throws {
        try await withCluster(environment: ["ORCHESTRA_SHARDS": "16", "WORKER_CONCURRENCY": "2"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            var waits: [Int64] = []
            for _ in 0..<24 {
                let id = try await gateway.submit(Self.oneTask)
                let done = try await gateway.waitForTerminal(id, timeout: .seconds(30))
                let started = try #require(done.tasks[0].startedAt)
                waits.append(started.millisecondsSinceEpoch - done.createdAt.millisecondsSinceEpoch)
            }
            waits.sort()
            // Both times are the server's; before the claim loops stopped holding slots while they
            // blocked, the median was 7.9 s.
            #expect(waits[waits.count / 2] <= 10, "median submit → start \(waits[waits.count / 2]) ms; all: \(waits)")
            #expect(waits.last! < 500, "slowest submit → start \(waits.last!) ms")
        }
    }

    @Test("a gateway or worker started with another ORCHESTRA_SHARDS refuses to run, naming both counts")
    func aChangedShardCountIsRefused() async throws {
        try await withCluster(environment: ["ORCHESTRA_SHARDS": "4"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            let id = try await gateway.submit(Self.oneTask)
            for role in ["gateway", "worker"] {
                let log = FileManager.default.temporaryDirectory.appendingPathComponent("orchestra-shards-\(UUID().uuidString).log")
                defer { try? FileManager.default.removeItem(at: log) }
                let arguments = role == "gateway" ? ["gateway", "--port", String(try FreePort.find())] : ["worker"]
                let pid = try cluster.launch(arguments, ["ORCHESTRA_SHARDS": "8"], output: log)
                try await cluster.waitForExit(pid, timeout: .seconds(20))
                let text = try String(contentsOf: log, encoding: .utf8)
                #expect(text.contains("ORCHESTRA_SHARDS is 8"), "\(role): \(text)")
                #expect(text.contains("written with 4 shards"), "\(role): \(text)")
            }
            // The data is untouched and still served.
            #expect(try await gateway.status(id).workflowId == id)
        }
    }

    @Test("with debug logging on, no secret reaches the logs")
    func secretsStayOutOfDebugLogs() async throws {
        let redis = try RedisServerProcess(password: "redis-secret-4711")
        defer { redis.stop() }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("orchestra-secrets-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let environment = [
            "ENABLE_DEBUG": "true", "LOG_LEVEL": "trace", "API_KEY": "api-secret-0815", "OPENAI_API_KEY": "sk-openai-secret-42",
            "ANTHROPIC_API_KEY": "sk-ant-secret-43", "GROK_API_KEY": "xai-secret-44",
        ]
        try await withCluster(environment: environment, redisURL: redis.url) { cluster in
            let member = try await cluster.startGateway(output: log)
            try cluster.startWorker(output: log)
            let gateway = GatewayHTTP(member)
            let key = [("X-API-Key", "api-secret-0815")]
            let reply = try await gateway.request(.POST, "/run-graph", json: Self.oneTask, headers: key)
            #expect(reply.status == 200)
            let id = try reply.decode(WorkflowStatus.self).workflowId
            #expect(try await gateway.request(.GET, "/status/\(id)?wait=10", headers: key).status == 200)
        }
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("starting") || text.contains("listening"), "the log was captured")
        for secret in ["redis-secret-4711", "api-secret-0815", "sk-openai-secret-42", "sk-ant-secret-43", "xai-secret-44"] {
            #expect(!text.contains(secret), "\(secret) is in the log")
        }
    }

    static let oneTask = #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "qa", "input_data": {"task": "t"}}]}"#
}

/// Runs `condition` until it returns `true`, failing after `limit`.
func eventually(within limit: Duration, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw ClusterError("condition not met within \(limit)")
}
