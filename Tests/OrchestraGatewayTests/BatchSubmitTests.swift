import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraGateway
import OrchestraRedis
import OrchestraScheduler
import Testing

@Suite("POST /run-graph/batch: many workflows, each answered on its own", .timeLimit(.minutes(5)))
struct BatchSubmitTests {
    @Test("each request gets its own answer in order: accepted ones are stored, refused ones write nothing")
    func mixedBatch() async throws {
        try await GatewayFixture.run { gateway in
            #expect(try await gateway.submit(Bodies.workflow("taken", tasks: [Bodies.task("a")])).status == 200)
            let before = try await gateway.storedKeys().sorted()
            let requests = [
                Bodies.workflow("b-1", type: "sequential", tasks: [Bodies.task("a"), Bodies.task("b")], metadata: #"{"n": 1}"#),
                Bodies.workflow("b-bad", type: "graph", tasks: [Bodies.task("a", dependsOn: ["missing"])]),
                Bodies.workflow("taken", tasks: [Bodies.task("x")]),
                Bodies.workflow(nil, tasks: [Bodies.task("solo", extra: #", "llm_model": "nosuchprovider/model""#)]),
                Bodies.workflow(nil, tasks: [Bodies.task("solo")]),
            ]
            let response = try await gateway.request(.POST, "/run-graph/batch", body: "[" + requests.joined(separator: ",") + "]")
            #expect(response.status == 200, "\(response)")
            let entries = try #require(try response.json().arrayValue)
            try #require(entries.count == 5)
            #expect(entries.map { $0["status"] } == [200, 422, 409, 422, 200])

            // Accepted: the same document GET /status answers, and the workflow is stored.
            for position in [0, 4] {
                let workflow = try #require(entries[position]["workflow"])
                #expect(ResponseSchema.workflowStatus(workflow) == [])
                #expect(workflow["status"] == "pending")
                let id = try #require(workflow["workflow_id"]?.stringValue)
                #expect(try await gateway.request(.GET, "/status/\(id)").json() == workflow)
            }
            #expect(entries[0]["workflow"]?["metadata"] == ["n": 1])
            #expect(entries[0]["workflow"]?["tasks"]?.arrayValue?.count == 2)

            // Refused: the detail POST /run-graph would have given, and nothing written.
            let unknown = try #require(entries[1]["detail"]?.arrayValue?.first)
            #expect(unknown["loc"] == ["body", "tasks", 0, "depends_on", 0])
            #expect(entries[2]["detail"] == "Workflow taken already exists")
            #expect(entries[3]["detail"]?.arrayValue?.first?["loc"] == ["body", "tasks", 0, "llm_model"])
            #expect(entries.allSatisfy { ($0["status"] == 200) == ($0["detail"] == nil) })
            #expect(try await gateway.request(.GET, "/status/b-bad").status == 404)
            #expect(try await gateway.request(.GET, "/status/taken").json()["tasks"]?.arrayValue?.first?["agent_id"] == "a")
            let added = Set(try await gateway.storedKeys()).subtracting(before)
            #expect(!added.contains { $0.hasSuffix(":b-bad") }, "a refused request writes nothing")
            #expect(added.contains(gateway.keys.workflow("b-1").hash))
        }
    }

    @Test("the same workflow_id twice in one batch: the first is written, the second is a 409")
    func duplicateWithinTheBatch() async throws {
        try await GatewayFixture.run { gateway in
            let body =
                "[" + Bodies.workflow("twice", tasks: [Bodies.task("a")]) + "," + Bodies.workflow("twice", tasks: [Bodies.task("b")]) + "]"
            let entries = try #require(try await gateway.request(.POST, "/run-graph/batch", body: body).json().arrayValue)
            #expect(entries.map { $0["status"] } == [200, 409])
            #expect(try await gateway.request(.GET, "/status/twice").json()["tasks"]?.arrayValue?.first?["agent_id"] == "a")
        }
    }

    @Test("a body that is not an array of 1 to 1000 requests is a 422 for the whole request and writes nothing")
    func wholeBodyErrors() async throws {
        try await GatewayFixture.run { gateway in
            let before = try await gateway.storedKeys().sorted()
            let one = Bodies.workflow(nil, tasks: [Bodies.task("a")])
            let cases: [(body: String, type: String)] = [
                (one, "list_type"),
                ("[]", "too_short"),
                ("[" + Array(repeating: one, count: 1001).joined(separator: ",") + "]", "too_long"),
                ("[" + one + ",", "json_invalid"),
            ]
            for (body, type) in cases {
                let response = try await gateway.request(.POST, "/run-graph/batch", body: body)
                #expect(response.status == 422, "\(type)")
                let issue = try #require(try response.json()["detail"]?.arrayValue?.first)
                #expect(issue["type"]?.stringValue == type)
                #expect(issue["loc"]?.arrayValue?.first == "body")
            }
            #expect(try await gateway.storedKeys().sorted() == before, "nothing written")
        }
    }

    @Test("the OpenAPI document describes the batch endpoint")
    func documented() async throws {
        try await GatewayFixture.run { gateway in
            let document = try await gateway.request(.GET, "/openapi.json").json()
            let operation = try #require(document["paths"]?["/run-graph/batch"]?["post"])
            #expect(operation["requestBody"]?["content"]?["application/json"]?["schema"]?["maxItems"] == 1000)
            #expect(operation["responses"]?["200"] != nil && operation["responses"]?["422"] != nil)
        }
    }
}
