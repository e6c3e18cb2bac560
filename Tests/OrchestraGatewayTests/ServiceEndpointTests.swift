import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraConfig
import OrchestraGateway
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import ServiceLifecycle
import Testing

@Suite("Service endpoints: banner, health, queues, errors", .timeLimit(.minutes(5)))
struct ServiceEndpointTests {
    @Test("GET / answers the Phase 2 banner with a semver version")
    func root() async throws {
        try await GatewayFixture.run { gateway in
            let response = try await gateway.request(.GET, "/")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let body = try response.json()
            #expect(Set(body.objectValue?.keys.map { $0 } ?? []) == ["service", "status", "version"])
            #expect(body["service"] == "AI Orchestra - Orchestration Service")
            #expect(body["status"] == "running")
            let version = try #require(body["version"]?.stringValue)
            #expect(version == GatewayServer.version)
            #expect(version.wholeMatch(of: try Regex(#"^\d+\.\d+\.\d+$"#)) != nil)
        }
    }

    @Test("GET /health counts pending and running workflows only")
    func healthCountsActiveWorkflows() async throws {
        try await GatewayFixture.run { gateway in
            let empty = try await gateway.request(.GET, "/health")
            #expect(empty.status == 200)
            let emptyBody = try empty.json()
            #expect(Set(emptyBody.objectValue?.keys.map { $0 } ?? []) == ["status", "active_workflows", "timestamp"])
            #expect(emptyBody["status"] == "healthy")
            #expect(emptyBody["active_workflows"] == 0)
            #expect(ResponseSchema.timestamp(emptyBody["timestamp"], nullable: false, at: "timestamp").isEmpty)

            for id in ["h1", "h2"] {
                #expect(try await gateway.submit(Bodies.workflow(id, tasks: [Bodies.task("a")])).status == 200)
            }
            #expect(try await gateway.request(.GET, "/health").json()["active_workflows"] == 2)

            let queue = gateway.queue()
            let task = try await gateway.claim(queue, workflowID: "h1")
            #expect(try await gateway.request(.GET, "/health").json()["active_workflows"] == 2)  // running counts
            _ = try await queue.complete(task, GatewayFixture.answer("x"))
            #expect(try await gateway.request(.GET, "/health").json()["active_workflows"] == 1)  // completed does not
        }
    }

    @Test("GET /health answers 503 quickly when Redis is unreachable, without credentials")
    func healthUnhealthy() async throws {
        let closed = try ClosedPort()
        var configuration = try RedisConfiguration(url: "redis://:hunter2-secret@127.0.0.1:\(closed.port)/0")
        configuration.connectTimeout = .seconds(1)
        configuration.commandTimeout = .seconds(1)
        let broken = RedisClient(configuration: configuration)
        try await GatewayFixture.run(redis: broken, waitUntilReady: false) { gateway in
            let started = ContinuousClock.now
            let response = try await gateway.request(.GET, "/health")
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(response.status == 503)
            let body = try response.json()
            #expect(Set(body.objectValue?.keys.map { $0 } ?? []) == ["status", "active_workflows", "timestamp", "detail"])
            #expect(body["status"] == "unhealthy")
            #expect(body["active_workflows"] == 0)
            #expect(ResponseSchema.timestamp(body["timestamp"], nullable: false, at: "timestamp").isEmpty)
            let detail = try #require(body["detail"]?.stringValue)
            #expect(detail.contains("Redis"))
            #expect(!response.text.contains("hunter2"))

            // Other endpoints report the outage as 503 in FastAPI's shape.
            let list = try await gateway.request(.GET, "/workflows")
            #expect(list.status == 503)
            #expect(ResponseSchema.errorDetail(try list.json()).isEmpty)
            #expect(!list.text.contains("hunter2"))
        }
    }

    @Test("GET /queues reports per-shard depths, totals, active workflows and workflows by status")
    func queues() async throws {
        try await GatewayFixture.run(configure: { $0.shards = 3 }) { gateway in
            let tasks = ["a", "b", "c"].map { Bodies.task($0) }
            #expect(try await gateway.submit(Bodies.workflow("q1", tasks: tasks)).status == 200)
            let queue = gateway.queue()
            _ = try await gateway.claim(queue, workflowID: "q1")

            let response = try await gateway.request(.GET, "/queues")
            #expect(response.status == 200)
            let body = try response.json()
            #expect(Set(body.objectValue?.keys.map { $0 } ?? []) == ["shards", "totals", "active_workflows", "workflows", "timestamp"])
            let shards = try #require(body["shards"]?.arrayValue)
            #expect(shards.count == 3)
            #expect(shards.map { $0["shard"]?.intValue } == [0, 1, 2])
            for shard in shards {
                #expect(Set(shard.objectValue?.keys.map { $0 } ?? []) == ["shard", "ready", "running", "delayed"])
            }
            let home = gateway.keys.shard(of: "q1")
            #expect(shards[home]["ready"] == 2)
            #expect(shards[home]["running"] == 1)
            #expect(body["totals"] == ["ready": 2, "running": 1, "delayed": 0, "demand": 3])
            #expect(body["active_workflows"] == 1)
            #expect(body["workflows"] == ["pending": 0, "running": 1, "completed": 0, "failed": 0, "partial": 0])
            #expect(ResponseSchema.timestamp(body["timestamp"], nullable: false, at: "timestamp").isEmpty)
        }
    }

}
