import Foundation
import OrchestraTestSupport
import Testing

/// `orchestra local`, the README's main job: its own redis-server, a gateway, worker processes.
@Suite("End to end: the local all-in-one mode", .timeLimit(.minutes(10)))
struct LocalModeTests {
    @Test("with no Redis reachable it starts one, runs the seed's examples, and stops everything cleanly")
    func localClusterRunsTheExamplesAndStopsItsRedis() async throws {
        let redisPort = try FreePort.find()
        let gatewayPort = try FreePort.find()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("orchestra-local-\(redisPort).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Cluster.executable)
        process.arguments = ["local", "--examples", "--exit-after-examples", "--env-file", "/nonexistent/.env"]
        var environment = ProcessInfo.processInfo.environment
        environment["REDIS_URL"] = "redis://127.0.0.1:\(redisPort)"
        environment["ORCHESTRATOR_PORT"] = String(gatewayPort)
        environment["ORCHESTRATOR_WORKERS"] = "2"
        environment["ECHO_LATENCY_MS"] = "20"
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        let started = ContinuousClock.now
        try process.run()
        // The redis-server's stop grace is 5 s: a clean run ends well before this.
        let deadline = started + .seconds(60)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""

        #expect(process.terminationStatus == 0, "\(text)")
        for title in ["curl example", "sequential (1 → 2 → 3)", "parallel (1, 2, 3 at once)", "graph (1 & 2 → 3 → 4)"] {
            #expect(text.contains("── \(title)"), "missing example \(title)")
        }
        #expect(text.components(separatedBy: "] completed\n").count - 1 == 4, "four completed workflows")
        #expect(text.contains("starting redis-server"))
        // The redis-server it started got the SIGTERM (not a SIGKILL after the grace) and is gone.
        #expect(text.contains("Received SIGTERM"), "\(text)")
        #expect(!text.contains("did not stop in time"))
        #expect(!FreePort.isListening(port: redisPort))
        #expect(!FreePort.isListening(port: gatewayPort))
    }
}
