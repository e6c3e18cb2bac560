import Foundation
import NIOCore
import OrchestraAPI
import OrchestraConfig
import OrchestraGateway
import Testing

/// Short timeouts so the suite stays fast; each test sets the one it exercises to 1 s.
private func timeouts(idle: Double = 30, header: Double = 30, body: Double = 30) -> (inout OrchestraConfiguration) -> Void {
    { configuration in
        configuration.httpIdleTimeoutSeconds = idle
        configuration.httpHeaderTimeoutSeconds = header
        configuration.httpBodyTimeoutSeconds = body
    }
}

@Suite("Connections are closed when the client is slow to send, never while the server answers", .timeLimit(.minutes(5)))
struct ConnectionTimeoutTests {
    @Test("A head trickled one byte every 200 ms is cut at the header timeout (408)")
    func slowloris() async throws {
        try await GatewayFixture.run(configure: timeouts(header: 1)) { gateway in
            let connection = try await gateway.connect()
            defer { connection.closeNow() }
            let trickle = Task {
                // The attack's own pace; it stops when the server closes.
                for byte in "GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: \(String(repeating: "a", count: 200))\r\n\r\n".utf8 {
                    guard (try? await connection.send([byte])) != nil else { return }
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
            defer { trickle.cancel() }
            let closing = try await connection.closed(within: .seconds(6))
            #expect(closing.closed, "still open after 6 s")
            #expect(closing.after < .seconds(3.5), "closed after \(closing.after)")
            #expect(closing.responses.map(\.status) == [408], "\(closing.responses) \(closing.unread)")
            #expect(closing.responses.first?.header("content-type") == "application/json")
        }
    }

    @Test("A connection that never sends anything is closed at the header timeout")
    func silentConnection() async throws {
        try await GatewayFixture.run(configure: timeouts(header: 1)) { gateway in
            let connection = try await gateway.connect()
            defer { connection.closeNow() }
            let closing = try await connection.closed(within: .seconds(6))
            #expect(closing.closed, "still open after 6 s")
            #expect(closing.after < .seconds(3.5), "closed after \(closing.after)")
        }
    }

    @Test("An idle keep-alive connection is closed after the idle timeout, not before")
    func idleKeepAlive() async throws {
        try await GatewayFixture.run(configure: timeouts(idle: 1)) { gateway in
            let connection = try await gateway.connect()
            defer { connection.closeNow() }
            try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.response().status == 200)
            let closing = try await connection.closed(within: .seconds(6))
            #expect(closing.closed, "still open after 6 s")
            #expect(closing.after > .milliseconds(700) && closing.after < .seconds(3.5), "closed after \(closing.after)")
            #expect(closing.responses.isEmpty && closing.unread.isEmpty, "an idle close writes nothing: \(closing.unread)")
        }
    }

    @Test("A body that stalls is cut at the body timeout (408) and nothing is written")
    func stalledBody() async throws {
        try await GatewayFixture.run(configure: timeouts(body: 1)) { gateway in
            let body = Bodies.workflow("stalled", tasks: [Bodies.task("a")])
            let connection = try await gateway.connect()
            defer { connection.closeNow() }
            try await connection.send(
                "POST /run-graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count + 1)\r\n\r\n\(body)"
            )
            let closing = try await connection.closed(within: .seconds(6))
            #expect(closing.closed, "still open after 6 s")
            #expect(closing.after < .seconds(3.5), "closed after \(closing.after)")
            #expect(closing.responses.map(\.status) == [408], "\(closing.responses) \(closing.unread)")
            #expect(try await gateway.storedKeys() == [])
        }
    }

    @Test("A long-poll of 3 s with 1 s timeouts gets its answer; the connection then idles out")
    func longPollOutlivesTimeouts() async throws {
        try await GatewayFixture.run(configure: timeouts(idle: 1, header: 1, body: 1)) { gateway in
            #expect(try await gateway.submit(Bodies.workflow("lp", tasks: [Bodies.task("a")])).status == 200)
            let connection = try await gateway.connect()
            defer { connection.closeNow() }
            let started = ContinuousClock.now
            try await connection.send("GET /status/lp?wait=3 HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await connection.response(within: .seconds(10))
            #expect(ContinuousClock.now - started >= .milliseconds(2900))
            #expect(response.status == 200, "\(response)")
            #expect(try JSONValue.parse(Data(response.body.utf8))["status"] == "pending")
            let closing = try await connection.closed(within: .seconds(6))
            #expect(closing.closed, "still open 6 s after the answer")
            #expect(closing.after < .seconds(3.5), "closed \(closing.after) after the answer")
        }
    }

    @Test("A body over MAX_REQUEST_BYTES answers 413, then the connection closes")
    func tooLargeCloses() async throws {
        try await GatewayFixture.run(configure: { $0.maxRequestBytes = 2048 }) { gateway in
            let connection = try await gateway.connect()
            defer { connection.closeNow() }
            try await connection.send(
                "POST /run-graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
                    + String(repeating: " ", count: 4096))
            let closing = try await connection.closed(within: .seconds(6))
            #expect(closing.closed, "still open after 6 s")
            #expect(closing.responses.map(\.status) == [413], "\(closing.responses) \(closing.unread)")
            #expect(closing.responses.first?.header("connection") == "close")
        }
    }

    @Test("Connection: close (any case) and HTTP/1.0 are answered, then closed", arguments: ["HTTP/1.1\r\nConnection: Close", "HTTP/1.0"])
    func connectionClose(_ versionAndHeader: String) async throws {
        try await GatewayFixture.run { gateway in
            let connection = try await gateway.connect()
            defer { connection.closeNow() }
            try await connection.send("GET /health \(versionAndHeader)\r\nHost: x\r\n\r\n")
            let closing = try await connection.closed(within: .seconds(6))
            #expect(closing.closed, "still open after 6 s")
            #expect(closing.after < .seconds(3.5))
            #expect(closing.responses.map(\.status) == [200], "\(closing.responses) \(closing.unread)")
            #expect(closing.responses.first?.header("connection") == "close")
        }
    }
}
