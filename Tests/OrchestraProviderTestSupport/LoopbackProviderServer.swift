import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A Hummingbird server on 127.0.0.1 (port chosen by the kernel) that records every request and
/// answers with scripted responses in order (the last one repeats). It speaks whatever wire format
/// the scripted bodies contain; the tests feed it real OpenAI and Anthropic bodies.
public final class LoopbackProviderServer: Sendable {
    private struct State {
        var responses: [StubResponse]
        var recorded: [RecordedRequest] = []
        var inFlight = 0
        var maxInFlight = 0
    }

    private let state: Mutex<State>

    private init(responses: [StubResponse]) {
        self.state = Mutex(State(responses: responses))
    }

    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { self.state.withLock { $0.recorded } }
    /// The most requests that were being answered at the same time.
    public var maxInFlight: Int { self.state.withLock { $0.maxInFlight } }

    /// Runs `body` with a server and its base URL (`http://127.0.0.1:<port>`), then stops the server.
    public static func with<Result: Sendable>(
        _ responses: [StubResponse],
        _ body: (LoopbackProviderServer, String) async throws -> Result
    ) async throws -> Result {
        let server = LoopbackProviderServer(responses: responses)
        let router = Router()
        router.on("**", method: .post) { request, _ in try await server.respond(to: request) }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: Self.quietLogger
        )
        let service = ServiceGroup(configuration: .init(services: [app], logger: Self.quietLogger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw ServerDidNotStart() }
            let outcome: Swift.Result<Result, any Error>
            do {
                outcome = .success(try await body(server, "http://127.0.0.1:\(port)"))
            } catch {
                outcome = .failure(error)
            }
            // Stop accepting and let the server take up every connection it accepted before it is
            // cancelled: cancelling a NIO server while an accepted connection is still queued traps
            // ("Deinited NIOAsyncWriter without calling finish()", apple/swift-nio#3481). Handlers
            // that never answer (hanging stubs) are cancelled after a short grace period.
            await service.triggerGracefulShutdown()
            group.addTask { try await Task.sleep(for: .seconds(1)) }
            _ = try? await group.next()
            return try outcome.get()
        }
    }

    private func respond(to request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let recorded = RecordedRequest(
            method: request.method.rawValue, path: request.uri.path, headers: headers, body: Array(buffer: body))
        let stub = self.state.withLock { state in
            state.recorded.append(recorded)
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            return state.responses.count > 1 ? state.responses.removeFirst() : state.responses[0]
        }
        defer { self.state.withLock { $0.inFlight -= 1 } }

        if stub.delay > .zero { try await Task.sleep(for: stub.delay) }
        if case .hang = stub.behaviour { try await Task.sleep(for: .seconds(30)) }
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in stub.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let payload = ByteBuffer(string: stub.body)
        if case .stallBody = stub.behaviour {
            fields[.contentLength] = String(payload.readableBytes)
            return Response(
                status: .init(code: stub.status), headers: fields,
                body: ResponseBody { writer in
                    try await writer.write(payload.getSlice(at: 0, length: payload.readableBytes / 2)!)
                    try await Task.sleep(for: .seconds(30))
                })
        }
        return Response(status: .init(code: stub.status), headers: fields, body: .init(byteBuffer: payload))
    }

    /// Cancelling the server at the end of every test is expected; only real trouble is logged.
    private static let quietLogger: Logger = {
        var logger = Logger(label: "loopback-provider")
        logger.logLevel = .critical
        return logger
    }()

    private struct ServerDidNotStart: Error {}
}
