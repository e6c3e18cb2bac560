import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraConfig
import OrchestraGateway
import OrchestraScheduler
import ServiceLifecycle
import Testing

@Suite("API key and CORS", .timeLimit(.minutes(5)))
struct AuthAndCORSTests {
    static let key = "s3cret-key-0123"

    @Test("With API_KEY set, only /, /health, /ready, /openapi.json, /docs and /redoc are open")
    func apiKey() async throws {
        try await GatewayFixture.run(configure: { $0.apiKey = Self.key }) { gateway in
            for path in ["/", "/health", "/ready", "/openapi.json", "/docs", "/redoc"] {
                #expect(try await gateway.request(.GET, path).status == 200, "\(path)")
            }
            let unauthorized: JSONValue = ["detail": "Invalid or missing API key"]
            for headers in [[], [("X-API-Key", "wrong")], [("X-API-Key", Self.key + "x")], [("X-API-Key", "")]] {
                let list = try await gateway.request(.GET, "/workflows", headers: headers)
                #expect(list.status == 401, "\(headers)")
                #expect(try list.json() == unauthorized)
            }
            let body = Bodies.workflow("auth", tasks: [Bodies.task("a")])
            let rejected = try await gateway.submit(body)
            #expect(rejected.status == 401)
            #expect(try rejected.json() == unauthorized)
            #expect(try await gateway.storedKeys() == [])
            for path in ["/status/auth", "/queues"] {
                #expect(try await gateway.request(.GET, path).status == 401, "\(path)")
            }
            #expect(try await gateway.request(.DELETE, "/workflows/auth").status == 401)

            let authorized = [("X-API-Key", Self.key)]
            #expect(try await gateway.submit(body, headers: authorized).status == 200)
            #expect(try await gateway.request(.GET, "/workflows", headers: authorized).status == 200)
            #expect(try await gateway.request(.GET, "/status/auth", headers: [("x-api-key", Self.key)]).status == 200)
            #expect(try await gateway.request(.GET, "/queues", headers: authorized).status == 200)
            #expect(try await gateway.request(.DELETE, "/workflows/auth", headers: authorized).status == 200)

            let document = try await gateway.request(.GET, "/openapi.json").json()
            #expect(document["security"] == [["APIKeyHeader": []]])
            #expect(document["paths"]?["/health"]?["get"]?["security"] == [])
        }
    }

    @Test("Listed origins get CORS headers and preflight answers, before authentication")
    func corsList() async throws {
        try await GatewayFixture.run(configure: {
            $0.corsOrigins = ["https://app.example", "http://localhost:3000"]
            $0.apiKey = Self.key
        }) { gateway in
            let preflight = try await gateway.request(
                .OPTIONS, "/run-graph",
                headers: [
                    ("Origin", "https://app.example"), ("Access-Control-Request-Method", "POST"),
                    ("Access-Control-Request-Headers", "content-type,x-api-key"),
                ])
            #expect(preflight.status == 204)
            #expect(preflight.header("Access-Control-Allow-Origin") == "https://app.example")
            #expect(preflight.header("Access-Control-Allow-Methods")?.contains("POST") == true)
            let allowedHeaders = preflight.header("Access-Control-Allow-Headers")?.lowercased() ?? ""
            #expect(allowedHeaders.contains("x-api-key") && allowedHeaders.contains("content-type"))
            #expect(preflight.headers["Vary"].contains("Origin"))

            let denied = try await gateway.request(
                .OPTIONS, "/run-graph", headers: [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")])
            #expect(denied.status == 400)
            #expect(denied.header("Access-Control-Allow-Origin") == nil)

            let simple = try await gateway.request(.GET, "/health", headers: [("Origin", "http://localhost:3000")])
            #expect(simple.status == 200)
            #expect(simple.header("Access-Control-Allow-Origin") == "http://localhost:3000")
            let errorResponse = try await gateway.request(.GET, "/workflows", headers: [("Origin", "http://localhost:3000")])
            #expect(errorResponse.status == 401)
            #expect(errorResponse.header("Access-Control-Allow-Origin") == "http://localhost:3000")
            let other = try await gateway.request(.GET, "/health", headers: [("Origin", "https://evil.example")])
            #expect(other.status == 200)
            #expect(other.header("Access-Control-Allow-Origin") == nil)
        }
    }

    @Test("A wildcard allows every origin; no CORS_ORIGINS sends no CORS headers")
    func corsWildcardAndNone() async throws {
        try await GatewayFixture.run(configure: { $0.corsOrigins = ["*"] }) { gateway in
            let simple = try await gateway.request(.GET, "/", headers: [("Origin", "https://any.example")])
            #expect(simple.header("Access-Control-Allow-Origin") == "*")
            let preflight = try await gateway.request(
                .OPTIONS, "/workflows/x", headers: [("Origin", "https://any.example"), ("Access-Control-Request-Method", "DELETE")])
            #expect(preflight.status == 204)
            #expect(preflight.header("Access-Control-Allow-Origin") == "*")
            #expect(preflight.header("Access-Control-Allow-Methods")?.contains("DELETE") == true)
        }
        try await GatewayFixture.run { gateway in
            let simple = try await gateway.request(.GET, "/", headers: [("Origin", "https://any.example")])
            #expect(simple.status == 200)
            #expect(simple.header("Access-Control-Allow-Origin") == nil)
            let preflight = try await gateway.request(
                .OPTIONS, "/run-graph", headers: [("Origin", "https://any.example"), ("Access-Control-Request-Method", "POST")])
            #expect(preflight.status == 405)
            #expect(preflight.header("Access-Control-Allow-Origin") == nil)
        }
    }
}
