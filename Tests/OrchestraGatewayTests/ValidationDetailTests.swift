import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraConfig
import OrchestraGateway
import OrchestraRedis
import OrchestraScheduler
import Testing

/// 422 bodies byte for byte as FastAPI with pydantic v2 writes them, and key order kept in responses.
@Suite("422 details carry pydantic's type, loc, msg, input and ctx, in FastAPI's order", .timeLimit(.minutes(5)))
struct ValidationDetailTests {
    @Test("A body broken at byte 17 answers json_invalid at [\"body\", 17]")
    func malformedJSON() async throws {
        try await GatewayFixture.routes { gateway in
            let response = try await gateway.submit(#"{"workflow_type":sequential}"#)
            #expect(response.status == 422)
            #expect(
                response.text
                    == #"{"detail":[{"type":"json_invalid","loc":["body",17],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}"#
            )
            #expect(try await gateway.storedKeys() == [])
        }
    }

    @Test("Field issues carry the offending input and the constraint")
    func fieldIssues() async throws {
        try await GatewayFixture.routes { gateway in
            let body = Bodies.workflow("r1", type: "mesh", tasks: [Bodies.task("a", extra: #", "temperature": 3, "max_attempts": 0"#)])
            let response = try await gateway.submit(body)
            #expect(response.status == 422)
            let expected = [
                #"{"type":"literal_error","loc":["body","workflow_type"],"msg":"Input should be 'sequential', 'parallel' or 'graph'","#
                    + #""input":"mesh","ctx":{"expected":"'sequential', 'parallel' or 'graph'"}}"#,
                #"{"type":"less_than_equal","loc":["body","tasks",0,"temperature"],"msg":"Input should be less than or equal to 2","#
                    + #""input":3,"ctx":{"le":2.0}}"#,
                #"{"type":"greater_than_equal","loc":["body","tasks",0,"max_attempts"],"msg":"Input should be greater than or equal to 1","#
                    + #""input":0,"ctx":{"ge":1}}"#,
            ]
            #expect(response.text == #"{"detail":["# + expected.joined(separator: ",") + "]}")
        }
    }

    @Test("A missing field's input is the object that lacks it")
    func missingField() async throws {
        try await GatewayFixture.routes { gateway in
            let response = try await gateway.submit(#"{"tasks": [], "metadata": {"b": 1, "a": 2}}"#)
            #expect(response.status == 422)
            let detail = try #require(try response.json()["detail"]?.arrayValue)
            #expect(
                detail.first == [
                    "type": "missing", "loc": ["body", "workflow_type"], "msg": "Field required",
                    "input": ["tasks": [], "metadata": ["b": 1, "a": 2]],
                ])
            #expect(response.text.contains(#""input":{"tasks":[],"metadata":{"b":1,"a":2}}"#))
            #expect(detail.last?["ctx"] == ["field_type": "List", "min_length": 1, "actual_length": 0])
        }
    }

    @Test("A body nested deeper than MAX_JSON_DEPTH answers 422 naming the limit")
    func depthLimit() async throws {
        try await GatewayFixture.routes(configure: { $0.maxJSONDepth = 8 }) { gateway in
            let metadata = #"{"m": [[[[[[1]]]]]]}"#  // depth 8 counting the body
            #expect(try await gateway.submit(Bodies.workflow("deep-ok", tasks: [Bodies.task("a")], metadata: metadata)).status == 200)
            let deeper = #"{"m": [[[[[[[1]]]]]]]}"#
            let response = try await gateway.submit(Bodies.workflow("deep-no", tasks: [Bodies.task("a")], metadata: deeper))
            #expect(response.status == 422)
            let issue = try response.json()["detail"]?[0]
            #expect(issue?["type"] == "json_invalid")
            #expect(issue?["ctx"] == ["error": "nesting depth exceeds 8"])
        }
    }

    @Test("Query issues carry the raw text as input, and status is a literal")
    func queryIssues() async throws {
        try await GatewayFixture.routes { gateway in
            let status = try await gateway.request(.GET, "/workflows?status=bogus")
            #expect(status.status == 422)
            #expect(
                status.text
                    == #"{"detail":[{"type":"literal_error","loc":["query","status"],"#
                    + #""msg":"Input should be 'pending', 'running', 'completed', 'failed' or 'partial'","input":"bogus","#
                    + #""ctx":{"expected":"'pending', 'running', 'completed', 'failed' or 'partial'"}}]}"#)
            let limit = try await gateway.request(.GET, "/workflows?limit=0&offset=x")
            #expect(
                try limit.json()["detail"]
                    == [
                        [
                            "type": "greater_than_equal", "loc": ["query", "limit"], "msg": "Input should be greater than or equal to 1",
                            "input": "0", "ctx": ["ge": 1],
                        ],
                        [
                            "type": "int_parsing", "loc": ["query", "offset"],
                            "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x",
                        ],
                    ])
            let wait = try await gateway.request(.GET, "/status/none?wait=0")
            #expect(try wait.json()["detail"]?[0]?["ctx"] == ["gt": 0.0])
        }
    }

    @Test("metadata and input_data come back in the order they were sent")
    func keyOrder() async throws {
        try await GatewayFixture.routes { gateway in
            let members = (0..<20).map { #""key_\#(($0 * 13 + 7) % 20)": \#($0)"# }
            let metadata = "{" + members.joined(separator: ", ") + "}"
            let compact = metadata.replacingOccurrences(of: ", ", with: ",").replacingOccurrences(of: ": ", with: ":")
            let task = #"{"agent_id": "a", "agent_role": "qa", "input_data": {"task": "t", "zeta": 1, "alpha": 2}}"#
            let submitted = try await gateway.submit(Bodies.workflow("ordered", tasks: [task], metadata: metadata))
            #expect(submitted.status == 200)
            #expect(submitted.text.contains(#""metadata":\#(compact)"#))
            let read = try await gateway.request(.GET, "/status/ordered")
            #expect(read.text.contains(#""metadata":\#(compact)"#))
            let listed = try await gateway.request(.GET, "/workflows")
            #expect(listed.text.contains(#""metadata":\#(compact)"#))
            let stored = try await gateway.redis.send("HGET", RedisArgument(gateway.keys.workflow("ordered").tasks), "0:input")
            #expect(stored.string == #"{"task":"t","zeta":1,"alpha":2}"#)
        }
    }
}
