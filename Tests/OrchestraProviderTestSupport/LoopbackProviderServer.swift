import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A Hummingbird server on 127.0.0.1 (port chosen by the kernel) that records every request and
/// answers with scripted responses in order (the last one repeats). It speaks whatever wire format
/// the scripted bodies contain; the tests feed it real OpenAI and Anthropic bodies. A request that
/// asks for a stream gets a 2xx body as the provider would stream it (``StreamedAnswer``).
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
        // Stopped by a graceful shutdown, not by cancelling its task: cancelling a NIO server with
        // an accepted connection still buffered traps (swift-nio #3481).
        let services = ServiceGroup(configuration: .init(services: [app], logger: Self.quietLogger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            let result: Swift.Result<Result, any Error>
            var iterator = ports.makeAsyncIterator()
            if let port = await iterator.next(), port > 0 {
                do {
                    result = .success(try await body(server, "http://127.0.0.1:\(port)"))
                } catch {
                    result = .failure(error)
                }
            } else {
                result = .failure(ServerDidNotStart())
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }

    /// Sleeps for `duration`, or until the server shuts down (stalled answers end with it).
    private func stall(for duration: Duration) async throws {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
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

        if stub.delay > .zero { try await stall(for: stub.delay) }
        if case .hang = stub.behaviour { try await stall(for: .seconds(30)) }
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in stub.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        if stub.streams, (200..<300).contains(stub.status), recorded.json["stream"] as? Bool == true,
            let format = StreamedAnswer.Format(path: recorded.path),
            let events = StreamedAnswer.events(
                of: stub.body, format: format,
                includeUsage: (recorded.json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        {
            fields[.contentType] = "text/event-stream"
            fields[.cacheControl] = "no-cache"
            return Response(
                status: .init(code: stub.status), headers: fields,
                body: ResponseBody { writer in try await self.stream(events, format: format, stub: stub, to: &writer) })
        }
        let payload = ByteBuffer(string: stub.body)
        if case .stallBody = stub.behaviour {
            fields[.contentLength] = String(payload.readableBytes)
            return Response(
                status: .init(code: stub.status), headers: fields,
                body: ResponseBody { writer in
                    try await writer.write(payload.getSlice(at: 0, length: payload.readableBytes / 2)!)
                    try await self.stall(for: .seconds(30))
                })
        }
        return Response(status: .init(code: stub.status), headers: fields, body: .init(byteBuffer: payload))
    }

    /// Writes a stream event by event, each in two writes cut at its middle byte (so readers meet
    /// events, lines and UTF-8 sequences split across reads), pausing `stub.pieceDelay` between
    /// events; cut, failed or stalled as the stub's behaviour says.
    private func stream(
        _ events: [StreamedAnswer.Event], format: StreamedAnswer.Format, stub: StubResponse, to writer: inout any ResponseBodyWriter
    ) async throws {
        var pieces = 0
        for (position, event) in events.enumerated() {
            switch stub.behaviour {
            case .cutStream(let after) where event.isPiece && pieces == after:
                throw StreamCut()
            case .streamError(let after, let error) where event.isPiece && pieces == after:
                try await writer.write(ByteBuffer(string: StreamedAnswer.errorEvent(error, format: format)))
                try await writer.finish(nil)
                return
            case .stallBody where position == events.count / 2:
                try await self.stall(for: .seconds(30))
            default:
                break
            }
            if event.isPiece { pieces += 1 }
            if position > 0, stub.pieceDelay > .zero { try await self.stall(for: stub.pieceDelay) }
            let bytes = Array(event.text.utf8)
            try await writer.write(ByteBuffer(bytes: bytes[..<(bytes.count / 2)]))
            try await writer.write(ByteBuffer(bytes: bytes[(bytes.count / 2)...]))
        }
        try await writer.finish(nil)
    }

    /// Thrown to drop a streaming connection mid-answer.
    private struct StreamCut: Error {}

    /// Only real trouble is logged.
    private static let quietLogger: Logger = {
        var logger = Logger(label: "loopback-provider")
        logger.logLevel = .critical
        return logger
    }()

    private struct ServerDidNotStart: Error {}
}
