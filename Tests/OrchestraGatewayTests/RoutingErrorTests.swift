import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraGateway
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import ServiceLifecycle
import Testing

@Suite("Routing errors: 404, 405, 500", .timeLimit(.minutes(5)))
struct RoutingErrorTests {
    @Test("Unknown routes answer 404 and wrong methods 405, in FastAPI's shape")
    func notFoundAndMethodNotAllowed() async throws {
        try await GatewayFixture.routes { gateway in
            let missing = try await gateway.request(.GET, "/no/such/route")
            #expect(missing.status == 404)
            #expect(try missing.json() == ["detail": "Not Found"])

            let wrong = try await gateway.request(.POST, "/health", body: "{}")
            #expect(wrong.status == 405)
            #expect(try wrong.json() == ["detail": "Method Not Allowed"])
            #expect(wrong.header("Allow") == "GET, HEAD")

            let getSubmit = try await gateway.request(.GET, "/run-graph")
            #expect(getSubmit.status == 405)
            #expect(getSubmit.header("Allow") == "POST")
            #expect(try getSubmit.json() == ["detail": "Method Not Allowed"])

            let put = try await gateway.request(.PUT, "/workflows/abc", body: "{}")
            #expect(put.status == 405)
            #expect(put.header("Allow") == "DELETE")

            let trace = try await gateway.request(.TRACE, "/workflows")
            #expect(trace.status == 405)
            #expect(trace.header("Allow") == "GET, HEAD")
            let query = try await gateway.request(.RAW(value: "QUERY"), "/health")
            #expect(query.status == 405)

            let head = try await gateway.request(.HEAD, "/health")
            #expect(head.status == 200)
        }
    }

    @Test("Corrupt stored data answers 500 with a generic detail, and the server keeps serving")
    func internalError() async throws {
        try await GatewayFixture.routes { gateway in
            let hash = gateway.keys.workflow("corrupt").hash
            try await gateway.redis.send(
                "HSET", RedisArgument(hash), "workflow_id", "corrupt", "task_count", "0", "workflow_type", "mesh", "status", "pending")
            let response = try await gateway.request(.GET, "/status/corrupt")
            #expect(response.status == 500)
            #expect(try response.json() == ["detail": "Internal Server Error"])
            #expect(try await gateway.request(.GET, "/").status == 200)
        }
    }
}
