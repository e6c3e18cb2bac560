import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraConfig
import OrchestraGateway
import OrchestraScheduler
import ServiceLifecycle
import Testing

/// An invalid submission and where its 422 must point.
struct InvalidSubmission: Sendable, CustomTestStringConvertible {
    let name: String
    let body: String
    /// Dotted `loc` the detail must contain.
    let loc: String
    let type: String?
    let message: String?

    var testDescription: String { name }

    init(_ name: String, _ body: String, loc: String, type: String? = nil, message: String? = nil) {
        self.name = name
        self.body = body
        self.loc = loc
        self.type = type
        self.message = message
    }

    static let all: [InvalidSubmission] = [
        InvalidSubmission(
            "unknown workflow_type", Bodies.workflow("r1", type: "mesh", tasks: [Bodies.task("a")]), loc: "body.workflow_type",
            type: "literal_error"
        ),
        InvalidSubmission("empty tasks", Bodies.workflow("r1", tasks: []), loc: "body.tasks", type: "too_short"),
        InvalidSubmission("missing tasks", #"{"workflow_type": "parallel"}"#, loc: "body.tasks", type: "missing"),
        InvalidSubmission(
            "duplicate agent_id", Bodies.workflow("r1", tasks: [Bodies.task("a"), Bodies.task("a")]), loc: "body.tasks.1.agent_id",
            message: "duplicate agent_id 'a'"),
        InvalidSubmission(
            "unknown depends_on", Bodies.workflow("r1", type: "graph", tasks: [Bodies.task("a"), Bodies.task("b", dependsOn: ["ghost"])]),
            loc: "body.tasks.1.depends_on.0", message: "unknown agent_id 'ghost'"),
        InvalidSubmission(
            "cycle", Bodies.workflow("r1", type: "graph", tasks: [Bodies.task("a", dependsOn: ["b"]), Bodies.task("b", dependsOn: ["a"])]),
            loc: "body.tasks.0.depends_on", message: "dependency cycle: a -> b -> a"),
        InvalidSubmission(
            "depends_on in a parallel workflow", Bodies.workflow("r1", tasks: [Bodies.task("a"), Bodies.task("b", dependsOn: ["a"])]),
            loc: "body.tasks.1.depends_on", message: "parallel"),
        InvalidSubmission(
            "workflow_id with braces", Bodies.workflow("bad{id}", tasks: [Bodies.task("a")]), loc: "body.workflow_id",
            type: "string_pattern_mismatch"),
        InvalidSubmission(
            "workflow_id too long", Bodies.workflow(String(repeating: "w", count: 129), tasks: [Bodies.task("a")]), loc: "body.workflow_id",
            type: "string_too_long"),
        InvalidSubmission(
            "agent_id with a space", Bodies.workflow("r1", tasks: [Bodies.task("a b")]), loc: "body.tasks.0.agent_id",
            type: "string_pattern_mismatch"),
        InvalidSubmission(
            "input_data not an object",
            #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "qa", "input_data": "text"}]}"#,
            loc: "body.tasks.0.input_data", type: "dict_type"),
        InvalidSubmission(
            "unknown provider", Bodies.workflow("r1", tasks: [Bodies.task("a", extra: #", "llm_model": "mystery/model-x""#)]),
            loc: "body.tasks.0.llm_model", type: "unknown_provider", message: "unknown provider 'mystery'"),
        InvalidSubmission(
            "unknown model family",
            Bodies.workflow("r1", tasks: [Bodies.task("a"), Bodies.task("b", extra: #", "llm_model": "llama-3""#)]),
            loc: "body.tasks.1.llm_model", type: "unknown_provider"),
        InvalidSubmission(
            "provider not configured", Bodies.workflow("r1", tasks: [Bodies.task("a", extra: #", "llm_model": "gpt-4o""#)]),
            loc: "body.tasks.0.llm_model", type: "provider_not_configured", message: "OPENAI_API_KEY"),
        InvalidSubmission("body not an object", "[1, 2]", loc: "body", type: "model_attributes_type"),
        InvalidSubmission("malformed JSON", #"{"workflow_type": "parallel", "tasks": ["#, loc: "body.40", type: "json_invalid"),
        InvalidSubmission("empty body", "", loc: "body", type: "missing"),
    ]
}

@Suite("POST /run-graph: rejected workflows write nothing", .timeLimit(.minutes(5)))
struct RejectedSubmissionTests {
    @Test("422 naming the field", arguments: InvalidSubmission.all)
    func rejected(_ submission: InvalidSubmission) async throws {
        try await GatewayFixture.run { gateway in
            let response = try await gateway.submit(submission.body)
            #expect(response.status == 422, "\(response)")
            let body = try response.json()
            #expect(ResponseSchema.validationError(body) == [])
            let locs = ResponseSchema.locs(body)
            #expect(locs.contains(submission.loc), "locs \(locs)")
            let issue = body["detail"]?.arrayValue?.first { ResponseSchema.locs(["detail": [$0]]) == [submission.loc] }
            if let type = submission.type { #expect(issue?["type"]?.stringValue == type, "\(response)") }
            if let message = submission.message { #expect(issue?["msg"]?.stringValue?.contains(message) == true, "\(response)") }
            #expect(try await gateway.storedKeys() == [])
        }
    }

    @Test("A body over MAX_REQUEST_BYTES answers 413, with or without Content-Length")
    func tooLarge() async throws {
        try await GatewayFixture.run(configure: { $0.maxRequestBytes = 2048 }) { gateway in
            // Just over the limit, and far over it (the server answers before reading it all).
            for size in [4000, 3_000_000] {
                let big = Bodies.workflow(
                    "big", tasks: [Bodies.task("a", extra: #", "system_prompt": "\#(String(repeating: "x", count: size))""#)])
                for chunked in [false, true] {
                    let response = try await gateway.request(.POST, "/run-graph", body: big, chunked: chunked)
                    #expect(response.status == 413, "size \(size), chunked \(chunked): \(response)")
                    #expect(ResponseSchema.errorDetail(try response.json()) == [])
                    #expect(response.text.contains("2048"))
                }
            }
            #expect(try await gateway.storedKeys() == [])

            // Just under the limit is fine.
            let small = Bodies.workflow("small", tasks: [Bodies.task("a")])
            #expect(try await gateway.submit(small).status == 200)
        }
    }

    @Test("Too many tasks for MAX_TASKS_PER_WORKFLOW answers 422")
    func tooManyTasks() async throws {
        try await GatewayFixture.run(configure: { $0.maxTasksPerWorkflow = 3 }) { gateway in
            let response = try await gateway.submit(Bodies.workflow("many", tasks: (0..<4).map { Bodies.task("t\($0)") }))
            #expect(response.status == 422)
            #expect(ResponseSchema.locs(try response.json()) == ["body.tasks"])
            #expect(try await gateway.storedKeys() == [])
        }
    }
}
