import Foundation
import NIOCore
import NIOPosix
import OrchestraTestSupport

/// A plain TCP connection to a gateway, for sending bytes no HTTP client would send and watching
/// exactly what comes back and when the server closes. Every wait has a deadline and ends on the
/// observable event (a complete response, end of stream) or at the deadline, never after a sleep.
final class RawConnection: Sendable {
    private let channel: any Channel
    private let collector: NIOLoopBound<ReceivedBytesHandler>

    private init(channel: any Channel, collector: NIOLoopBound<ReceivedBytesHandler>) {
        self.channel = channel
        self.collector = collector
    }

    /// Connects to `port` on 127.0.0.1.
    static func connect(port: Int) async throws -> RawConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReceivedBytesHandler())
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let collector = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ReceivedBytesHandler.self), eventLoop: channel.eventLoop)
        }.get()
        return RawConnection(channel: channel, collector: collector)
    }

    /// Sends `text` as it is.
    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    /// Sends `bytes` as they are.
    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Whether the server has closed (or reset) the connection.
    var isClosed: Bool {
        get async throws { try await channel.eventLoop.submit { self.collector.value.closed }.get() }
    }

    /// Waits for the next complete response (head and `Content-Length` body) within `timeout`;
    /// throws when the server closes first.
    func response(within timeout: TimeAmount = .seconds(10)) async throws -> RawResponse {
        let waited = try await wait(within: timeout) { handler in handler.takeResponse() != nil || handler.closed }
        guard let response = waited.response else {
            throw TestSupportError("no complete response (closed: \(waited.closed)); received \(waited.unread.debugDescription)")
        }
        return response
    }

    /// Waits until the server closes the connection, within `timeout`. Returns whether it did,
    /// how long that took, and the responses and bytes received meanwhile.
    func closed(within timeout: TimeAmount) async throws -> Closing {
        let started = ContinuousClock.now
        let waited = try await wait(within: timeout) { handler in handler.closed }
        return Closing(
            closed: waited.closed, after: ContinuousClock.now - started, responses: waited.responses, unread: waited.unread)
    }

    /// Closes the client's side.
    func close() async {
        try? await channel.close()
    }

    /// Closes the client's side without waiting (for `defer`, so no test leaves a connection
    /// that would hold up the gateway's graceful shutdown).
    func closeNow() {
        channel.close(promise: nil)
    }

    /// What the connection received up to the end of a wait.
    struct Closing: Sendable {
        let closed: Bool
        let after: Duration
        let responses: [RawResponse]
        /// Bytes after the last complete response.
        let unread: String
    }

    private struct Waited: Sendable {
        var closed: Bool
        var response: RawResponse?
        var responses: [RawResponse]
        var unread: String
    }

    /// Completes when `isDone` holds for the received bytes (checked on each read and at close),
    /// or at the deadline.
    private func wait(
        within timeout: TimeAmount, until isDone: @escaping @Sendable (ReceivedBytesHandler) -> Bool
    ) async throws -> Waited {
        let eventLoop = channel.eventLoop
        let collector = self.collector
        return try await eventLoop.flatSubmit {
            let handler = collector.value
            let promise = eventLoop.makePromise(of: Void.self)
            handler.waiter = (isDone, promise)
            if isDone(handler) {
                handler.waiter = nil
                promise.succeed()
            }
            let deadline = eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                handler.waiter = nil
                promise.succeed()
            }
            return promise.futureResult.assumeIsolated().map {
                deadline.cancel()
                var responses: [RawResponse] = []
                while let response = handler.takeResponse(consume: true) { responses.append(response) }
                return Waited(
                    closed: handler.closed, response: responses.first, responses: responses,
                    unread: String(buffer: handler.received))
            }.nonisolated()
        }.get()
    }
}

/// One HTTP response as received.
struct RawResponse: Sendable, CustomStringConvertible {
    let status: Int
    /// Header names lowercased.
    let headers: [(String, String)]
    let body: String

    func header(_ name: String) -> String? {
        headers.first { $0.0 == name.lowercased() }?.1
    }

    var description: String { "\(status) \(headers) \(body)" }
}

/// Collects what the server sends and notes when it closes.
final class ReceivedBytesHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    var received = ByteBuffer()
    var closed = false
    var waiter: ((ReceivedBytesHandler) -> Bool, EventLoopPromise<Void>)?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        received.writeBuffer(&bytes)
        check()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent {
            closed = true
            check()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        check()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset: the server closed.
        closed = true
        check()
        context.close(promise: nil)
    }

    private func check() {
        guard let (isDone, promise) = waiter, isDone(self) else { return }
        waiter = nil
        promise.succeed()
    }

    /// The first complete response in `received`, removed from it when `consume`.
    func takeResponse(consume: Bool = false) -> RawResponse? {
        let view = received.readableBytesView
        guard let headEnd = view.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let headText = String(decoding: view[view.startIndex..<headEnd.lowerBound], as: UTF8.self)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { return nil }
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = headers.first { $0.0 == "content-length" }.flatMap { Int($0.1) } ?? 0
        let bodyStart = headEnd.upperBound
        guard view.endIndex - bodyStart >= length else { return nil }
        let body = String(decoding: view[bodyStart..<(bodyStart + length)], as: UTF8.self)
        if consume { received.moveReaderIndex(forwardBy: bodyStart + length - view.startIndex) }
        return RawResponse(status: status, headers: headers, body: body)
    }
}

@available(*, unavailable)
extension ReceivedBytesHandler: Sendable {}
