import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraConfig
import OrchestraGateway
import OrchestraRedis
import OrchestraScheduler
import ServiceLifecycle
import Testing

@Suite("GET /workflows and DELETE /workflows/{workflow_id}", .timeLimit(.minutes(5)))
struct ListAndDeleteTests {
    /// Submits w1...w4 with distinct creation times (in ms, from the Redis server's clock); completes w1.
    static func prepare(_ gateway: GatewayFixture) async throws {
        for index in 1...4 {
            let submitted = try await gateway.submit(Bodies.workflow("w\(index)", tasks: [Bodies.task("a")]))
            #expect(submitted.status == 200)
            let createdAt = try #require(try submitted.json()["created_at"]?.stringValue.flatMap(Timestamp.init(iso8601:)))
            // The next one is created in a later millisecond: wait for the server's clock to pass this one.
            while try await Self.serverMilliseconds(gateway.redis) <= createdAt.millisecondsSinceEpoch {}
        }
        let queue = gateway.queue()
        let task = try await gateway.claim(queue, workflowID: "w1")
        #expect(task.workflowID == "w1")
        _ = try await queue.complete(task, GatewayFixture.answer("x"))
    }

    static func serverMilliseconds(_ redis: RedisClient) async throws -> Int64 {
        let time = try await redis.send("TIME").decodeArray().map { Int64(try $0.decodeString()) ?? 0 }
        return time[0] * 1000 + time[1] / 1000
    }

    static func ids(_ gateway: GatewayFixture, _ query: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String]
    {
        let response = try await gateway.request(.GET, "/workflows" + query)
        #expect(response.status == 200, "\(response)", sourceLocation: sourceLocation)
        let list = try #require(try response.json().arrayValue, sourceLocation: sourceLocation)
        for (index, item) in list.enumerated() {
            #expect(ResponseSchema.workflowStatus(item, at: "$[\(index)]") == [], sourceLocation: sourceLocation)
        }
        return list.compactMap { $0["workflow_id"]?.stringValue }
    }

    @Test("Newest first, filtered by status, paged by limit and offset")
    func orderFilterAndPaging() async throws {
        try await GatewayFixture.run(configure: { $0.shards = 2 }) { gateway in
            try await Self.prepare(gateway)
            #expect(try await Self.ids(gateway, "") == ["w4", "w3", "w2", "w1"])
            #expect(try await Self.ids(gateway, "?limit=2") == ["w4", "w3"])
            #expect(try await Self.ids(gateway, "?limit=2&offset=1") == ["w3", "w2"])
            #expect(try await Self.ids(gateway, "?offset=3") == ["w1"])
            #expect(try await Self.ids(gateway, "?offset=10") == [])
            #expect(try await Self.ids(gateway, "?status=completed") == ["w1"])
            #expect(try await Self.ids(gateway, "?status=pending&limit=2") == ["w4", "w3"])
            #expect(try await Self.ids(gateway, "?status=running") == [])
            #expect(try await Self.ids(gateway, "?status=") == ["w4", "w3", "w2", "w1"])
            #expect(try await Self.ids(gateway, "?limit=1000") == ["w4", "w3", "w2", "w1"])
        }
    }

    @Test(
        "Bad query values answer 422 naming the parameter",
        arguments: [
            ("?status=bogus", "query.status", "literal_error"), ("?status=PENDING", "query.status", "literal_error"),
            ("?limit=0", "query.limit", "greater_than_equal"), ("?limit=-5", "query.limit", "greater_than_equal"),
            ("?limit=1001", "query.limit", "less_than_equal"), ("?limit=abc", "query.limit", "int_parsing"),
            ("?limit=", "query.limit", "int_parsing"), ("?offset=-1", "query.offset", "greater_than_equal"),
            ("?offset=1.5", "query.offset", "int_parsing"),
        ])
    func badQuery(_ query: String, _ loc: String, _ type: String) async throws {
        try await GatewayFixture.run { gateway in
            let response = try await gateway.request(.GET, "/workflows" + query)
            #expect(response.status == 422, "\(response)")
            let body = try response.json()
            #expect(ResponseSchema.validationError(body) == [])
            #expect(ResponseSchema.locs(body) == [loc])
            #expect(body["detail"]?[0]?["type"]?.stringValue == type)
        }
    }

    @Test("DELETE removes the workflow; then GET and DELETE answer 404")
    func deleteThenNotFound() async throws {
        try await GatewayFixture.run { gateway in
            #expect(
                try await gateway.submit(Bodies.workflow("del", type: "sequential", tasks: [Bodies.task("a"), Bodies.task("b")])).status
                    == 200)
            #expect(try await gateway.submit(Bodies.workflow("keep", tasks: [Bodies.task("a")])).status == 200)
            let deleted = try await gateway.request(.DELETE, "/workflows/del")
            #expect(deleted.status == 200)
            #expect(try deleted.json() == ["message": "Workflow del deleted"])

            let read = try await gateway.request(.GET, "/status/del")
            #expect(read.status == 404)
            #expect(try read.json() == ["detail": "Workflow del not found"])
            let again = try await gateway.request(.DELETE, "/workflows/del")
            #expect(again.status == 404)
            #expect(try again.json() == ["detail": "Workflow del not found"])

            let target = gateway.keys.workflow("del")
            #expect(try await gateway.redis.send("EXISTS", RedisArgument(target.hash), RedisArgument(target.tasks)).int == 0)
            #expect(try await ListAndDeleteTests.ids(gateway, "") == ["keep"])
            #expect(try await gateway.request(.GET, "/health").json()["active_workflows"] == 1)
            // The deleted workflow's queued task is never handed to a worker.
            let queue = gateway.queue()
            var claimed: [String] = []
            for _ in 0..<3 {
                if let ref = try await queue.waitForReady(in: target.shard, block: .milliseconds(100)),
                    let task = try await queue.claim(refs: [ref], in: target.shard).first
                {
                    claimed.append(task.workflowID)
                }
            }
            #expect(claimed == ["keep"])

            let malformed = try await gateway.request(.DELETE, "/workflows/has%20space")
            #expect(malformed.status == 404)
        }
    }
}
