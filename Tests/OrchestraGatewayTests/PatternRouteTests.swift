import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraGateway
import Testing

@Suite("Pattern endpoints: list and instantiate the pre-built workflows", .timeLimit(.minutes(5)))
struct PatternRouteTests {
    @Test("GET /patterns lists the three patterns with their parameters")
    func listsPatterns() async throws {
        try await GatewayFixture.routes { gateway in
            let response = try await gateway.request(.GET, "/patterns")
            #expect(response.status == 200)
            let patterns = try #require(try response.json().arrayValue)
            #expect(patterns.compactMap { $0["name"]?.stringValue } == ["full-stack-development", "code-review", "coordinator-supervised"])
            let review = try #require(patterns.first { $0["name"] == "code-review" })
            #expect(review["workflow_type"] == "graph")
            #expect(review["parameters"]?["required"]?.arrayValue?.contains("code") == true)
        }
    }

    @Test("POST /patterns/code-review submits a graph of three reviewers and a summary")
    func instantiatesAndSubmits() async throws {
        try await GatewayFixture.routes { gateway in
            let response = try await gateway.request(
                .POST, "/patterns/code-review",
                body: #"{"code": "func f() {}", "language": "swift", "workflow_id": "review-1", "metadata": {"team": "a"}}"#)
            #expect(response.status == 200, "\(response.text)")
            let body = try response.json()
            #expect(ResponseSchema.workflowStatus(body).isEmpty)
            #expect(body["workflow_id"] == "review-1")
            #expect(body["workflow_type"] == "graph")
            #expect(body["metadata"]?["team"] == "a")
            let tasks = try #require(body["tasks"]?.arrayValue)
            #expect(tasks.count == 4)
            #expect(tasks.last?["depends_on"]?.arrayValue?.count == 3)

            let stored = try await gateway.request(.GET, "/status/review-1")
            #expect(stored.status == 200)
            #expect(
                try await gateway.request(
                    .POST, "/patterns/code-review", body: #"{"code": "x", "language": "swift", "workflow_id": "review-1"}"#
                ).status == 409)
        }
    }

    @Test("bad pattern requests: 404 for an unknown pattern, 422 naming the parameter, nothing written")
    func rejectsBadRequests() async throws {
        try await GatewayFixture.routes { gateway in
            let unknown = try await gateway.request(.POST, "/patterns/no-such-pattern", body: "{}")
            #expect(unknown.status == 404)
            #expect(ResponseSchema.errorDetail(try unknown.json()).isEmpty)

            let missing = try await gateway.request(.POST, "/patterns/code-review", body: #"{"language": "swift"}"#)
            #expect(missing.status == 422)
            #expect(ResponseSchema.locs(try missing.json()).contains("body.code"), "\(missing.text)")

            let notObject = try await gateway.request(.POST, "/patterns/full-stack-development", body: "[1]")
            #expect(notObject.status == 422)
            let badID = try await gateway.request(.POST, "/patterns/full-stack-development", body: #"{"feature": "x", "workflow_id": 7}"#)
            #expect(badID.status == 422)
            #expect(try await gateway.storedKeys().isEmpty)
        }
    }
}
