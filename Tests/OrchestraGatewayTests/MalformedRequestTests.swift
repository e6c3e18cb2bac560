import Foundation
import NIOCore
import OrchestraAPI
import OrchestraGateway
import Testing

/// A request the HTTP parser must reject.
struct MalformedRequest: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: String
    var testDescription: String { name }

    static let workflow = Bodies.workflow("chunky", tasks: [Bodies.task("a")])

    static let all: [MalformedRequest] = [
        MalformedRequest(
            name: "invalid chunk size",
            bytes:
                "POST /run-graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
        ),
        // A complete workflow in the first chunk, then garbage: the route must not see a "complete" body.
        MalformedRequest(
            name: "valid first chunk, then an invalid chunk size",
            bytes: "POST /run-graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + String(workflow.utf8.count, radix: 16) + "\r\n" + workflow + "\r\nxyz\r\n"),
        MalformedRequest(
            name: "chunk without its CRLF",
            bytes:
                "POST /run-graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n"
        ),
        MalformedRequest(
            name: "Transfer-Encoding: identity",
            bytes: "POST /run-graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: identity\r\n\r\n"
                + workflow),
        MalformedRequest(name: "bad request line", bytes: "THIS IS NOT HTTP\r\n\r\n"),
        MalformedRequest(name: "unknown HTTP version", bytes: "GET /health HTTP/7.1\r\nHost: x\r\n\r\n"),
        MalformedRequest(name: "header without a colon", bytes: "GET /health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"),
        MalformedRequest(
            name: "header too large",
            bytes: "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100 * 1024))\r\n\r\n"),
        MalformedRequest(
            name: "Content-Length and Transfer-Encoding both",
            bytes: "POST /run-graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
    ]
}

@Suite("Requests the HTTP parser rejects answer 400 with a JSON body, then close", .timeLimit(.minutes(5)))
struct MalformedRequestTests {
    @Test("400 {\"detail\": ...}, one response, the connection closed, nothing written", arguments: MalformedRequest.all)
    func rejected(_ request: MalformedRequest) async throws {
        try await GatewayFixture.run { gateway in
            let connection = try await gateway.connect()
            defer { connection.closeNow() }
            try await connection.send(request.bytes)
            let closing = try await connection.closed(within: .seconds(10))
            #expect(closing.closed, "the connection stayed open")
            #expect(closing.responses.count == 1, "\(closing.responses) \(closing.unread)")
            let response = try #require(closing.responses.first)
            #expect(response.status == 400, "\(response)")
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("connection") == "close")
            let body = try JSONValue.parse(Data(response.body.utf8))
            #expect(body["detail"]?.stringValue?.isEmpty == false, "\(response.body)")
            #expect(try await gateway.storedKeys() == [])
        }
    }

    @Test("A malformed request after a served one on the same connection: the first is answered, then 400")
    func afterAServedRequest() async throws {
        try await GatewayFixture.run { gateway in
            let connection = try await gateway.connect()
            defer { connection.closeNow() }
            try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.response().status == 200)
            try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n")
            let closing = try await connection.closed(within: .seconds(10))
            #expect(closing.closed)
            #expect(closing.responses.map(\.status) == [400], "\(closing.responses)")
            #expect(closing.responses.first?.body.contains("detail") == true)
        }
    }
}
