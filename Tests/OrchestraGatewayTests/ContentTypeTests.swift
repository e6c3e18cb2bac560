import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraConfig
import OrchestraGateway
import Testing

extension GatewayFixture {
    /// The port the gateway listens on.
    var port: Int { Int(baseURL.split(separator: ":").last!)! }

    /// A raw TCP connection to the gateway.
    func connect() async throws -> RawConnection {
        try await RawConnection.connect(port: port)
    }
}

@Suite("Bodies must be JSON: cross-site form POSTs cannot submit", .timeLimit(.minutes(5)))
struct ContentTypeTests {
    @Test(
        "A POST whose body is not declared JSON answers 415 and writes nothing",
        arguments: [
            "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/jsonp",
        ])
    func rejected(_ contentType: String) async throws {
        try await GatewayFixture.run { gateway in
            let submit = try await gateway.request(
                .POST, "/run-graph", body: Bodies.workflow("xsite", tasks: [Bodies.task("a")]), headers: [("Content-Type", contentType)])
            #expect(submit.status == 415, "\(submit)")
            #expect(try submit.json() == ["detail": "Content-Type must be application/json"])

            let pattern = try await gateway.request(
                .POST, "/patterns/code-review", body: #"{"code": "x", "language": "swift"}"#, headers: [("Content-Type", contentType)])
            #expect(pattern.status == 415, "\(pattern)")
            #expect(try pattern.json() == ["detail": "Content-Type must be application/json"])
            #expect(try await gateway.storedKeys() == [])
        }
    }

    @Test("A body without any Content-Type answers 415; JSON in any spelling is accepted")
    func missingAndAccepted() async throws {
        try await GatewayFixture.run { gateway in
            let body = Bodies.workflow("none", tasks: [Bodies.task("a")])
            let connection = try await gateway.connect()
            defer { connection.closeNow() }
            try await connection.send("POST /run-graph HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let response = try await connection.response()
            #expect(response.status == 415, "\(response)")
            #expect(try JSONValue.parse(Data(response.body.utf8)) == ["detail": "Content-Type must be application/json"])
            await connection.close()
            #expect(try await gateway.storedKeys() == [])

            let accepted = ["application/json", "Application/JSON; charset=UTF-8", "application/vnd.orchestra+json", " application/json ;"]
            for (index, contentType) in accepted.enumerated() {
                let response = try await gateway.request(
                    .POST, "/run-graph", body: Bodies.workflow("ok\(index)", tasks: [Bodies.task("a")]),
                    headers: [("Content-Type", contentType)])
                #expect(response.status == 200, "\(contentType): \(response)")
            }
        }
    }

    @Test("CORS preflights still pass, and a cross-origin text/plain POST is refused")
    func preflightAndSimpleRequest() async throws {
        try await GatewayFixture.run(configure: { $0.corsOrigins = ["https://app.example"] }) { gateway in
            let preflight = try await gateway.request(
                .OPTIONS, "/run-graph",
                headers: [
                    ("Origin", "https://app.example"), ("Access-Control-Request-Method", "POST"),
                    ("Access-Control-Request-Headers", "content-type"),
                ])
            #expect(preflight.status == 204)
            // A "simple" request a browser sends without a preflight, from any page.
            let simple = try await gateway.request(
                .POST, "/run-graph", body: Bodies.workflow("evil", tasks: [Bodies.task("a")]),
                headers: [("Origin", "https://evil.example"), ("Content-Type", "text/plain")])
            #expect(simple.status == 415, "\(simple)")
            #expect(try await gateway.storedKeys() == [])
        }
    }
}
