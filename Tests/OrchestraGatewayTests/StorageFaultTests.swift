import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Testing

/// An error reply from Redis is an error: never a 404, an empty list or a zero.
@Suite("Storage faults answer 503, never an empty answer", .serialized, .timeLimit(.minutes(5)))
struct StorageFaultTests {
    @Test("while Redis loads its dataset: 503 for status, listing, health and queues; then normal answers")
    func aLoadingRedisIsUnavailableNotEmpty() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-loading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try FreePort.find()
        let arguments = ["--dir", directory.path, "--dbfilename", "dump.rdb"]
        var server = try RedisServerProcess(port: port, extraArguments: arguments)
        defer { server.stop() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.transientErrorRetryTime = .milliseconds(100)
        let redis = RedisClient(configuration: configuration)
        try await GatewayFixture.run(redis: redis) { gateway in
            #expect(try await gateway.submit(Bodies.workflow("kept", tasks: [Bodies.task("a")])).status == 200)
            // Enough data that loading it takes seconds (10,000 keys at 300 µs each).
            for batch in 0..<10 {
                _ = try await redis.pipeline((0..<1000).map { ["SET", RedisArgument("filler:\(batch):\($0)"), "x"] })
            }
            _ = try await redis.send("SAVE")
            server.kill()
            server = try RedisServerProcess(
                port: port,
                extraArguments: arguments + ["--key-load-delay", "300", "--loading-process-events-interval-bytes", "1024"])

            for path in ["/status/kept", "/workflows", "/health", "/queues", "/usage"] {
                let reply = try await gateway.request(.GET, path)
                #expect(reply.status == 503, "\(path): \(reply)")
                #expect(reply.text.contains("Redis") || reply.text.contains("unhealthy"), "\(path): \(reply)")
            }
            // Once loaded, the same workflow is there again.
            let deadline = ContinuousClock.now + .seconds(30)
            var status = try await gateway.request(.GET, "/status/kept")
            while status.status == 503, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                status = try await gateway.request(.GET, "/status/kept")
            }
            #expect(status.status == 200, "\(status)")
            let listed = try await gateway.request(.GET, "/workflows").json()
            #expect(listed.arrayValue?.map { $0["workflow_id"] } == ["kept"])
        }
    }

    @Test("a Redis Cluster node that answers MOVED: every read throws instead of reading as empty")
    func movedIsAnErrorForEveryRead() async throws {
        // Two cluster nodes; every slot belongs to the second, so the first redirects every key.
        let directory = FileManager.default.temporaryDirectory.path
        func clusterNode() throws -> RedisServerProcess {
            try RedisServerProcess(
                port: Self.portWithFreeBusPort(),
                extraArguments: ["--cluster-enabled", "yes", "--cluster-config-file", "\(directory)/nodes-\(UUID()).conf"])
        }
        let first = try clusterNode()
        defer { first.stop() }
        let second = try clusterNode()
        defer { second.stop() }
        let owner = RedisClient(configuration: try RedisConfiguration(url: second.url))
        defer { owner.shutdown() }
        let redirecting = RedisClient(configuration: try RedisConfiguration(url: first.url))
        defer { redirecting.shutdown() }
        _ = try await owner.send("CLUSTER", "ADDSLOTSRANGE", 0, 16383)
        _ = try await redirecting.send("CLUSTER", "MEET", "127.0.0.1", RedisArgument(second.port))
        let deadline = ContinuousClock.now + .seconds(20)
        while !(try await redirecting.send("CLUSTER", "INFO").decodeString().contains("cluster_state:ok")) {
            guard ContinuousClock.now < deadline else { throw TestSupportError("the two-node cluster did not form") }
            try await Task.sleep(for: .milliseconds(50))
        }

        var settings = SchedulerSettings(keys: KeySchema(prefix: "moved", shardCount: 3))
        settings.retention = .seconds(60)
        let store = WorkflowStore(redis: redirecting, settings: settings)
        let reads: [(String, () async throws -> Void)] = [
            ("workflow", { _ = try await store.workflow("w") }),
            ("list", { _ = try await store.list(status: nil, limit: 10) }),
            ("activeCount", { _ = try await store.activeCount() }),
            ("queueDepths", { _ = try await store.queueDepths() }),
            ("usageCounters", { _ = try await store.usageCounters() }),
        ]
        for (name, read) in reads {
            do {
                try await read()
                Issue.record("\(name) read a redirecting node as if it were empty")
            } catch let error as RedisError {
                #expect(error.serverErrorPrefix == "MOVED" || error.message.contains("MOVED"), "\(name): \(error)")
            }
        }
    }

    /// A free port whose cluster bus port (port + 10000) is free too.
    static func portWithFreeBusPort() throws -> Int {
        for _ in 0..<100 {
            let port = try FreePort.find()
            if port < 55_000, !FreePort.isListening(port: port + 10_000) { return port }
        }
        throw TestSupportError("no port with a free cluster bus port")
    }
}
