import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OrchestraAPI
import Testing

@testable import OrchestraGateway

@Suite("A GatewayError renders FastAPI's shape wherever it is thrown", .timeLimit(.minutes(1)))
struct GatewayErrorRenderingTests {
    @Test("Thrown by a route of a bare router (no ErrorMiddleware), it answers its own status, headers and detail")
    func rendersWithoutTheMiddleware() async throws {
        let router = Router()
        router.get("/missing") { _, _ -> Response in throw GatewayError.workflowNotFound("wf-1") }
        router.get("/invalid") { _, _ -> Response in
            throw GatewayError(
                status: .unprocessableContent, detail: .issues([.missing(["body", "tasks"], in: ["workflow_type": "graph"])]))
        }
        router.get("/method") { _, _ -> Response in throw GatewayError.methodNotAllowed(allowing: [.get, .head]) }
        try await Application(router: router).test(.router) { client in
            let missing = try await client.execute(uri: "/missing", method: .get)
            #expect(missing.status == .notFound)
            #expect(try JSONValue.parse(String(buffer: missing.body)) == ["detail": "Workflow wf-1 not found"])
            #expect(missing.headers[.contentType] == "application/json")

            let invalid = try await client.execute(uri: "/invalid", method: .get)
            #expect(invalid.status == .unprocessableContent)
            #expect(
                String(buffer: invalid.body)
                    == #"{"detail":[{"type":"missing","loc":["body","tasks"],"msg":"Field required","input":{"workflow_type":"graph"}}]}"#)

            let method = try await client.execute(uri: "/method", method: .get)
            #expect(method.status == .methodNotAllowed)
            #expect(method.headers[.allow] == "GET, HEAD")
            #expect(try JSONValue.parse(String(buffer: method.body)) == ["detail": "Method Not Allowed"])
        }
    }
}
