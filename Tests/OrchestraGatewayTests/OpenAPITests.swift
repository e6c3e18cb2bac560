import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraGateway
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import ServiceLifecycle
import Testing

@Suite("OpenAPI document and docs page", .timeLimit(.minutes(5)))
struct OpenAPITests {
    @Test("GET /openapi.json describes every endpoint and model; GET /docs renders it")
    func openAPI() async throws {
        try await GatewayFixture.run { gateway in
            let response = try await gateway.request(.GET, "/openapi.json")
            #expect(response.status == 200)
            let document = try response.json()
            #expect(document["openapi"] == "3.1.0")
            #expect(document["info"]?["version"] == .string(GatewayServer.version))
            let paths = try #require(document["paths"]?.objectValue)
            #expect(
                Set(paths.keys)
                    == [
                        "/", "/health", "/run-graph", "/run-graph/batch", "/status/{workflow_id}", "/workflows", "/workflows/{workflow_id}",
                        "/queues",
                        "/patterns", "/patterns/full-stack-development", "/patterns/code-review",
                        "/patterns/coordinator-supervised", "/usage", "/openapi.json", "/docs", "/redoc", "/ready", "/workers",
                        "/metrics", "/workflows/{workflow_id}/events", "/events", "/ws", "/dashboard", "/workflows/{workflow_id}/request",
                    ])
            #expect(paths["/run-graph"]?["post"]?["responses"]?["422"] != nil)
            #expect(paths["/workflows/{workflow_id}"]?["delete"] != nil)
            // What the document calls valid, the gateway accepts: bounds and per-pattern bodies are exact.
            let offset = paths["/workflows"]?["get"]?["parameters"]?.arrayValue?.first { $0["name"] == "offset" }
            #expect(offset?["schema"]?["maximum"] == 1000)
            #expect(paths["/workflows"]?["get"]?["parameters"]?.arrayValue?.contains { $0["name"] == "cursor" } == true)
            for (pattern, required) in [
                ("full-stack-development", ["feature"]), ("code-review", ["code", "language"]), ("coordinator-supervised", ["objective"]),
            ] {
                let body = paths["/patterns/\(pattern)"]?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"]
                #expect(Set(body?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []) == Set(required), "\(pattern)")
                #expect(body?["properties"]?["workflow_id"] != nil && body?["properties"]?["metadata"] != nil)
            }
            let schemas = try #require(document["components"]?["schemas"]?.objectValue)
            for name in [
                "AgentTask", "WorkflowRequest", "TaskStatus", "WorkflowStatus", "TokenUsage", "HTTPError", "HTTPValidationError",
                "QueueStatistics",
            ] {
                #expect(schemas[name] != nil, "schema \(name)")
            }
            #expect(
                Set(schemas["TaskStatus"]?["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                    == ["task_id", "agent_id", "agent_role", "status", "started_at", "completed_at", "result", "error"])
            #expect(
                schemas["WorkflowStatus"]?["properties"]?["status"]?["enum"] == ["pending", "running", "completed", "failed", "partial"])
            // Every reference resolves.
            for reference in Self.references(in: document) {
                let name = String(reference.dropFirst("#/components/schemas/".count))
                #expect(reference.hasPrefix("#/components/schemas/") && schemas[name] != nil, "dangling \(reference)")
            }
            #expect(document["security"] == nil)

            let docs = try await gateway.request(.GET, "/docs")
            #expect(docs.status == 200)
            #expect(docs.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(docs.text.contains("openapi.json"))
            #expect(docs.text.contains("SwaggerUIBundle"))
            let redoc = try await gateway.request(.GET, "/redoc")
            #expect(redoc.status == 200)
            #expect(redoc.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(redoc.text.contains(#"spec-url="openapi.json""#))
        }
    }

    static func references(in value: JSONValue) -> [String] {
        switch value {
        case .object(let members):
            return (members["$ref"]?.stringValue.map { [$0] } ?? []) + members.values.flatMap(references)
        case .array(let elements):
            return elements.flatMap(references)
        default:
            return []
        }
    }
}
