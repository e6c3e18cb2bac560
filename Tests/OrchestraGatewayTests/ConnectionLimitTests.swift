import NIOCore
import OrchestraAPI
import OrchestraConfig
import OrchestraGateway
import Testing

@Suite("HTTP_MAX_CONNECTIONS", .timeLimit(.minutes(5)))
struct ConnectionLimitTests {
    @Test("The connection over the limit is closed at once; the limit frees as connections close")
    func limit() async throws {
        try await GatewayFixture.run(configure: { $0.httpMaxConnections = 10 }) { gateway in
            var open: [RawConnection] = []
            defer { for connection in open { connection.closeNow() } }
            for _ in 0..<10 {
                let connection = try await gateway.connect()
                try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await connection.response().status == 200)
                open.append(connection)
            }

            let refused = try await gateway.connect()
            defer { refused.closeNow() }
            try? await refused.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            let closing = try await refused.closed(within: .seconds(5))
            #expect(closing.closed, "the 11th connection stayed open")
            #expect(closing.after < .seconds(2))
            #expect(closing.responses.isEmpty, "\(closing.responses)")

            // The ten are still served.
            for connection in open {
                try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await connection.response().status == 200)
            }

            // Close two; a new connection is served once the server has seen them go.
            for connection in open.prefix(2) { await connection.close() }
            let deadline = ContinuousClock.now + .seconds(10)
            var served = false
            while !served, ContinuousClock.now < deadline {
                let connection = try await gateway.connect()
                try? await connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                served = (try? await connection.response(within: .seconds(2)))?.status == 200
                await connection.close()
            }
            #expect(served, "no connection was served after two closed")
            for connection in open { await connection.close() }
        }
    }
}
