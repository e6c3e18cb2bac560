import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraScheduler
import Testing

/// The document the gateway serves is the contract its answers keep, and its bounds are the ones
/// validation enforces: both checked against the `/openapi.json` a running gateway serves.
@Suite("OpenAPI: answers and bounds match the served document", .timeLimit(.minutes(5)))
struct OpenAPIConformanceTests {
    static let graph = #"""
        {"workflow_id": "conform", "workflow_type": "graph", "metadata": {"run": 1},
         "tasks": [{"agent_id": "plan", "agent_role": "coordinator", "input_data": {"task": "plan"}, "llm_model": "echo", "temperature": 0.5},
                   {"agent_id": "build", "agent_role": "backend", "input_data": {"task": "build"}, "depends_on": ["plan"], "max_attempts": 3}]}
        """#

    @Test("every answer of the workflow routes conforms to its schema in the served /openapi.json")
    func answersConform() async throws {
        try await GatewayFixture.run { gateway in
            let schema = ServedSchema(document: try await gateway.request(.GET, "/openapi.json").json())
            var checked = 0
            func check(
                _ method: String, _ route: String, _ result: HTTPResult, status: Int, sourceLocation: SourceLocation = #_sourceLocation
            )
                throws
            {
                #expect(result.status == status, "\(method) \(route): \(result.text)", sourceLocation: sourceLocation)
                let body = try #require(
                    schema.responseSchema(method, route, status: result.status),
                    "\(method) \(route) \(result.status) has no JSON schema in the document", sourceLocation: sourceLocation)
                let problems = schema.problems(try result.json(), body)
                #expect(problems.isEmpty, "\(method) \(route) \(result.status): \(problems)", sourceLocation: sourceLocation)
                checked += 1
            }

            let accepted = try await gateway.submit(Self.graph)
            try check("POST", "/run-graph", accepted, status: 200)
            try check("POST", "/run-graph", try await gateway.submit(Self.graph), status: 409)
            try check("POST", "/run-graph", try await gateway.submit(#"{"workflow_type": "graph", "tasks": []}"#), status: 422)
            try check(
                "POST", "/run-graph/batch",
                try await gateway.request(.POST, "/run-graph/batch", body: "[\(Self.graph), {\"tasks\": 1}]"), status: 200)
            try check("GET", "/status/{workflow_id}", try await gateway.request(.GET, "/status/conform"), status: 200)
            try check("GET", "/status/{workflow_id}", try await gateway.request(.GET, "/status/nobody"), status: 404)

            // Run it to the end: one task completes with usage, the next fails for good.
            let queue = gateway.queue()
            let plan = try await gateway.claim(queue, workflowID: "conform")
            #expect(try await queue.complete(plan, GatewayFixture.answer("the plan", prompt: 3, completion: 5)) == .ok)
            let build = try await gateway.claim(queue, workflowID: "conform")
            #expect(try await queue.fail(build, error: "provider exploded", retryAfter: nil) == .failed)
            let finished = try await gateway.request(.GET, "/status/conform")
            try check("GET", "/status/{workflow_id}", finished, status: 200)
            #expect(try finished.json()["status"] == "partial")

            try check("GET", "/workflows", try await gateway.request(.GET, "/workflows?limit=5"), status: 200)
            try check("GET", "/workflows", try await gateway.request(.GET, "/workflows?limit=0"), status: 422)
            try check("GET", "/workflows/{workflow_id}/request", try await gateway.request(.GET, "/workflows/conform/request"), status: 200)
            try check("GET", "/queues", try await gateway.request(.GET, "/queues"), status: 200)
            try check("GET", "/health", try await gateway.request(.GET, "/health"), status: 200)
            try check("GET", "/", try await gateway.request(.GET, "/"), status: 200)
            try check("DELETE", "/workflows/{workflow_id}", try await gateway.request(.DELETE, "/workflows/conform"), status: 200)
            try check("DELETE", "/workflows/{workflow_id}", try await gateway.request(.DELETE, "/workflows/conform"), status: 404)
            #expect(checked == 15)

            // The checker sees what is wrong: a status without a required field, with a state
            // outside the enum, with a task that is not an object.
            let workflowStatus = try #require(schema.responseSchema("GET", "/status/{workflow_id}", status: 200))
            var broken = try #require(try finished.json().objectValue)
            broken["created_at"] = nil
            #expect(schema.problems(.object(broken), workflowStatus).contains { $0.contains("created_at") })
            broken = try #require(try finished.json().objectValue)
            broken["status"] = "exploded"
            #expect(schema.problems(.object(broken), workflowStatus).contains { $0.contains("$.status") })
            broken = try #require(try finished.json().objectValue)
            broken["tasks"] = [1]
            #expect(schema.problems(.object(broken), workflowStatus).contains { $0.contains("$.tasks[0]") })
        }
    }

    @Test("each bound of AgentTask in the served document is the one validation enforces")
    func boundsMatchValidation() async throws {
        try await GatewayFixture.run { gateway in
            let document = try await gateway.request(.GET, "/openapi.json").json()
            let properties = try #require(document["components"]?["schemas"]?["AgentTask"]?["properties"]?.objectValue)
            var checked: Set<String> = []
            for (field, rules) in properties {
                let type = rules["type"]?.stringValue
                // The value at each published bound is accepted; one step beyond it is refused.
                var cases: [(value: JSONValue, valid: Bool)] = []
                if type == "string" {
                    if let most = rules["maxLength"]?.intValue {
                        cases += [
                            (.string(String(repeating: "a", count: Int(most))), true),
                            (.string(String(repeating: "a", count: Int(most) + 1)), false),
                        ]
                    }
                    if let least = rules["minLength"]?.intValue {
                        cases += [(.string(String(repeating: "a", count: Int(least))), true)]
                        if least > 0 { cases.append((.string(String(repeating: "a", count: Int(least) - 1)), false)) }
                    }
                } else if type == "integer" || type == "number" {
                    let step = type == "integer" ? 1.0 : 0.001
                    func number(_ value: Double) -> JSONValue {
                        type == "integer" ? .int(Int64(value)) : .double(value)
                    }
                    if let most = rules["maximum"]?.doubleValue { cases += [(number(most), true), (number(most + step), false)] }
                    if let least = rules["minimum"]?.doubleValue { cases += [(number(least), true), (number(least - step), false)] }
                    if let bound = rules["exclusiveMinimum"]?.doubleValue {
                        cases += [(number(bound + step), true), (number(bound), false)]
                    }
                }
                // agent_id's bounds are IdentifierSyntax's, checked with its pattern elsewhere.
                guard !cases.isEmpty, field != "agent_id" else { continue }
                checked.insert(field)
                for (value, valid) in cases {
                    var task: JSONObject = ["agent_id": "a", "agent_role": "qa", "input_data": ["task": "t"]]
                    task[field] = value
                    let body: JSONValue = ["workflow_type": "parallel", "tasks": [.object(task)]]
                    let issues: [ValidationIssue]
                    switch Result(catching: { () throws(WorkflowValidationError) in try WorkflowValidator().validate(body) }) {
                    case .success: issues = []
                    case .failure(let error): issues = error.issues
                    }
                    let refused = issues.contains { $0.loc == ["body", "tasks", .index(0), .key(field)] }
                    #expect(refused == !valid, "\(field) = \(value.compactJSONString.prefix(40)): \(issues.map(\.msg))")
                }
            }
            #expect(checked == ["agent_role", "llm_model", "temperature", "max_tokens", "timeout_s", "max_attempts"])
        }
    }
}
