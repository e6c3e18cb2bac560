import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraGateway
import OrchestraScheduler
import ServiceLifecycle
import Testing

@Suite("GET /status/{workflow_id}", .timeLimit(.minutes(5)))
struct StatusTests {
    static let graph = Bodies.workflow(
        "life", type: "graph",
        tasks: [
            Bodies.task("design", role: "coordinator"),
            Bodies.task("build", dependsOn: ["design"]),
            Bodies.task("probe", role: "qa", extra: #", "max_attempts": 1"#),
        ],
        metadata: #"{"run": 7}"#)

    @Test("Tasks driven through the queue show running, completed and failed states with results, errors and timestamps")
    func lifecycle() async throws {
        try await GatewayFixture.run { gateway in
            #expect(try await gateway.submit(Self.graph).status == 200)
            let queue = gateway.queue(worker: "worker-7")

            // design runs.
            let design = try await gateway.claim(queue, workflowID: "life")
            #expect(design.agentID == "design")
            var status = try await Self.status(gateway, "life")
            #expect(status["status"] == "running")
            #expect(status["started_at"] != .null)
            #expect(status["completed_at"] == .null)
            var tasks = try #require(status["tasks"]?.arrayValue)
            #expect(tasks[0]["status"] == "running")
            #expect(tasks[0]["started_at"] != .null && tasks[0]["completed_at"] == .null)
            #expect(tasks[0]["worker_id"] == "worker-7")
            #expect(tasks[0]["attempts"] == 1)
            #expect(tasks[1]["status"] == "pending" && tasks[2]["status"] == "pending")

            // design completes; probe (queued at submit) runs next and fails for good; build completes.
            #expect(
                try await queue.complete(design, GatewayFixture.answer("the plan", prompt: 3, completion: 5))
                    == .ok)
            let probe = try await gateway.claim(queue, workflowID: "life")
            #expect(probe.agentID == "probe")
            #expect(try await queue.fail(probe, error: "provider exploded", retryAfter: nil) == .failed)
            let build = try await gateway.claim(queue, workflowID: "life")
            #expect(build.agentID == "build")
            #expect(
                try await queue.complete(build, GatewayFixture.answer("built", prompt: 10, completion: 20))
                    == .ok)

            status = try await Self.status(gateway, "life")
            #expect(status["status"] == "partial")
            #expect(status["metadata"] == ["run": 7])
            #expect(status["usage"] == ["prompt_tokens": 13, "completion_tokens": 25, "total_tokens": 38])
            #expect(status["error"]?.stringValue?.contains("probe") == true)
            let started = try #require(status["started_at"]?.stringValue.flatMap(Timestamp.init(iso8601:)))
            let completed = try #require(status["completed_at"]?.stringValue.flatMap(Timestamp.init(iso8601:)))
            let created = try #require(status["created_at"]?.stringValue.flatMap(Timestamp.init(iso8601:)))
            #expect(created <= started && started <= completed)

            tasks = try #require(status["tasks"]?.arrayValue)
            #expect(tasks.map { $0["status"] } == ["completed", "completed", "failed"])
            let designCompleted = try #require(tasks[0]["completed_at"])
            #expect(
                tasks[0]["result"]
                    == [
                        "agent_id": "design", "agent_role": "coordinator", "input": ["task": "do design"], "context": [],
                        "output": ["success": true, "message": "the plan", "timestamp": designCompleted],
                        "provider": "echo", "model": "echo", "usage": ["prompt_tokens": 3, "completion_tokens": 5],
                    ])
            #expect(tasks[0]["error"] == .null)
            #expect(tasks[0]["model"] == "echo" && tasks[0]["provider"] == "echo")
            #expect(tasks[0]["usage"] == ["prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8])
            #expect(tasks[1]["depends_on"] == ["design"])
            #expect(tasks[1]["result"]?["output"]?["message"] == "built")
            #expect(tasks[1]["result"]?["context"] == ["design"])
            #expect(tasks[2]["result"] == .null)
            #expect(tasks[2]["error"] == "provider exploded")
            #expect(tasks[2]["attempts"] == 1)
            for task in tasks {
                let taskStarted = try #require(task["started_at"]?.stringValue.flatMap(Timestamp.init(iso8601:)))
                let taskCompleted = try #require(task["completed_at"]?.stringValue.flatMap(Timestamp.init(iso8601:)))
                #expect(taskStarted <= taskCompleted)
            }
        }
    }

    @Test("A workflow whose only task fails is failed; one whose tasks all complete is completed")
    func terminalStates() async throws {
        try await GatewayFixture.run { gateway in
            #expect(
                try await gateway.submit(Bodies.workflow("fails", tasks: [Bodies.task("a", extra: #", "max_attempts": 1"#)])).status == 200)
            #expect(
                try await gateway.submit(Bodies.workflow("works", type: "sequential", tasks: [Bodies.task("a"), Bodies.task("b")])).status
                    == 200)
            let queue = gateway.queue()
            let failing = try await gateway.claim(queue, workflowID: "fails")
            _ = try await queue.fail(failing, error: "nope", retryAfter: nil)
            for _ in 0..<2 {
                let task = try await gateway.claim(queue, workflowID: "works")
                _ = try await queue.complete(task, GatewayFixture.answer("ok"))
            }
            let failed = try await Self.status(gateway, "fails")
            #expect(failed["status"] == "failed")
            #expect(failed["tasks"]?[0]?["error"] == "nope")
            let completed = try await Self.status(gateway, "works")
            #expect(completed["status"] == "completed")
            #expect(completed["error"] == nil)
            #expect(completed["usage"] == nil)  // no tokens reported
            #expect(completed["tasks"]?[1]?["depends_on"] == [])
        }
    }

    @Test("Unknown and malformed ids answer 404 with the Phase 2 message")
    func notFound() async throws {
        try await GatewayFixture.run { gateway in
            let missing = try await gateway.request(.GET, "/status/nope-123")
            #expect(missing.status == 404)
            #expect(try missing.json() == ["detail": "Workflow nope-123 not found"])
            let malformed = try await gateway.request(.GET, "/status/bad%7Bid%7D")
            #expect(malformed.status == 404)
            #expect(try malformed.json() == ["detail": "Workflow bad{id} not found"])
            #expect(try await gateway.storedKeys() == [])
        }
    }

    /// GET /status/{id}, checked strictly.
    static func status(_ gateway: GatewayFixture, _ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue
    {
        let response = try await gateway.request(.GET, "/status/\(id)")
        #expect(response.status == 200, "\(response)", sourceLocation: sourceLocation)
        let body = try response.json()
        #expect(ResponseSchema.workflowStatus(body) == [], sourceLocation: sourceLocation)
        return body
    }
}
