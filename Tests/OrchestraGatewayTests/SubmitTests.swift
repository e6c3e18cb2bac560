import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraConfig
import OrchestraGateway
import OrchestraRedis
import OrchestraScheduler
import ServiceLifecycle
import Testing

@Suite("POST /run-graph: accepted workflows", .timeLimit(.minutes(5)))
struct SubmitTests {
    @Test("A graph workflow is answered pending, every task pending, nulls present, and stored as planned")
    func graphAccepted() async throws {
        try await GatewayFixture.run { gateway in
            let body = Bodies.workflow(
                "wf-graph", type: "graph",
                tasks: [
                    Bodies.task("design", role: "coordinator"),
                    Bodies.task("api", dependsOn: ["design"], extra: #", "llm_model": "echo", "temperature": 0.5, "max_attempts": 5"#),
                    Bodies.task("ui", role: "frontend", dependsOn: ["design"]),
                    Bodies.task("tests", role: "qa", dependsOn: ["api", "ui"]),
                ],
                metadata: #"{"project": "demo", "nested": {"n": 1, "list": [true, null]}}"#)
            let response = try await gateway.submit(body)
            #expect(response.status == 200, "\(response)")
            let status = try response.json()
            #expect(ResponseSchema.workflowStatus(status) == [])
            #expect(status["workflow_id"] == "wf-graph")
            #expect(status["workflow_type"] == "graph")
            #expect(status["status"] == "pending")
            #expect(status["started_at"] == .null)
            #expect(status["completed_at"] == .null)
            #expect(status["metadata"] == ["project": "demo", "nested": ["n": 1, "list": [true, nil]]])
            let tasks = try #require(status["tasks"]?.arrayValue)
            #expect(tasks.map { $0["agent_id"] } == ["design", "api", "ui", "tests"])
            #expect(tasks.map { $0["agent_role"] } == ["coordinator", "backend", "frontend", "qa"])
            for task in tasks {
                #expect(task["status"] == "pending")
                #expect(task["started_at"] == .null && task["completed_at"] == .null)
                #expect(task["result"] == .null && task["error"] == .null)
                #expect(task["attempts"] == 0)
            }
            #expect(tasks[3]["depends_on"] == ["api", "ui"])
            let created = try #require(status["created_at"]?.stringValue.flatMap(Timestamp.init(iso8601:)))
            #expect(abs(created.millisecondsSinceEpoch - Timestamp.now().millisecondsSinceEpoch) < 60_000)

            // GET /status answers the same document.
            let read = try await gateway.request(.GET, "/status/wf-graph")
            #expect(read.status == 200)
            #expect(try read.json() == status)

            // Stored as planned: roots ready, options and attempt budgets per task.
            let target = gateway.keys.workflow("wf-graph")
            let ready = try await gateway.redis.send("LRANGE", RedisArgument(target.shard.ready), 0, -1)
            #expect(try ready.decodeArray().map { try $0.decodeString() } == ["wf-graph|0"])
            let names: [(TaskField, Int)] = [
                (.llmModel, 1), (.temperature, 1), (.llmModel, 0), (.maxAttempts, 1), (.maxAttempts, 0), (.dependsOn, 3), (.input, 1),
            ]
            let fields = try await gateway.redis.send(["HMGET", RedisArgument(target.tasks)] + names.map { RedisArgument($0.0.key($0.1)) })
            let values = try fields.decodeArray().map { try $0.decodeOptionalString() }
            #expect(values[0] == "echo")
            #expect(values[1] == "0.5")
            #expect(values[2] == nil, "unset options are not stored")
            #expect(values[3] == "5")
            #expect(values[4] == String(gateway.configuration.taskMaxAttempts))
            #expect(values[5] == #"["api","ui"]"#)
            #expect(values[6] == #"{"task":"do api"}"#)
        }
    }

    @Test("Without workflow_id a lowercase UUID v4 is generated; sequential and parallel roots are queued")
    func generatedIdAndRoots() async throws {
        try await GatewayFixture.run(configure: { $0.taskMaxAttempts = 2 }) { gateway in
            let sequential = try await gateway.submit(
                Bodies.workflow(nil, type: "sequential", tasks: ["a", "b", "c"].map { Bodies.task($0) }))
            #expect(sequential.status == 200)
            let body = try sequential.json()
            #expect(ResponseSchema.workflowStatus(body) == [])
            let id = try #require(body["workflow_id"]?.stringValue)
            #expect(id.wholeMatch(of: try Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")) != nil)
            let target = gateway.keys.workflow(id)
            #expect(
                try await gateway.redis.send("LRANGE", RedisArgument(target.shard.ready), 0, -1).array?.compactMap(\.string) == ["\(id)|0"])
            #expect(try await gateway.redis.send("HGET", RedisArgument(target.tasks), "2:max_attempts").string == "2")

            let parallel = try await gateway.submit(Bodies.workflow("par", tasks: ["x", "y"].map { Bodies.task($0) }))
            #expect(parallel.status == 200)
            #expect(ResponseSchema.workflowStatus(try parallel.json()) == [])
            let ready = try await gateway.redis.send("LRANGE", RedisArgument(target.shard.ready), 0, -1).array?.compactMap(\.string)
            #expect(ready == ["\(id)|0", "par|0", "par|1"])
        }
    }

    @Test("A duplicate workflow_id answers 409 and leaves the first workflow as it was")
    func duplicateWorkflowID() async throws {
        try await GatewayFixture.run { gateway in
            let first = try await gateway.submit(Bodies.workflow("dup-1", tasks: [Bodies.task("a")], metadata: #"{"v": 1}"#))
            #expect(first.status == 200)
            let keysBefore = try await gateway.storedKeys().sorted()
            #expect(keysBefore.contains(gateway.keys.workflow("dup-1").hash))
            let second = try await gateway.submit(
                Bodies.workflow("dup-1", type: "sequential", tasks: [Bodies.task("b"), Bodies.task("c")], metadata: #"{"v": 2}"#))
            #expect(second.status == 409)
            #expect(try second.json() == ["detail": "Workflow dup-1 already exists"])
            #expect(try await gateway.storedKeys().sorted() == keysBefore)
            let stored = try await gateway.request(.GET, "/status/dup-1").json()
            #expect(stored["metadata"] == ["v": 1])
            #expect(stored["tasks"]?.arrayValue?.count == 1)
            #expect(stored["workflow_type"] == "parallel")
        }
    }
}
