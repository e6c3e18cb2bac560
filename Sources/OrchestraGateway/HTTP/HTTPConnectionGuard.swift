import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import OrchestraAPI

/// Guards one HTTP/1 connection against hostile clients. It sits between NIO's HTTP/1 codec and
/// Hummingbird's conversion to HTTP types, so it sees each decoded request part, the decoder's
/// errors, every read, and each response part on its way out:
///
/// - **Timeouts** (``HTTPConnectionStateMachine``): idle between requests, time to receive a
///   head, time to receive a body. They never run while the server owes a response.
///   One scheduled callback per connection, re-armed only when it fires, so requests schedule
///   nothing.
/// - **Malformed requests**: NIO's decoder reports `HTTPParserError` (bad request line, header,
///   chunk size, `Transfer-Encoding`, oversized head, …); the guard answers 400 with a JSON
///   `{"detail": ...}` itself and closes. A route reading the body gets an
///   ``HTTPRequestReadError`` instead of the truncated body Hummingbird would otherwise hand it.
/// - **Closing**: after the response to a request that asked to close (`Connection: close`,
///   HTTP/1.0 without keep-alive), and after a response that ended before its request's body (a
///   413: the unread rest cannot be skipped safely). Such responses say `Connection: close`.
///   Every close after a response shuts the output down first and reads until the client
///   closes or ``HTTPConnectionStateMachine/Timeouts/linger`` passes, so the client reads the
///   response instead of a reset.
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler, NIOScheduledCallbackHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var state: HTTPConnectionStateMachine
    private let logger: Logger
    private var context: ChannelHandlerContext?
    /// When the pending timer callback fires; `nil` when none is pending.
    private var timerFiresAt: NIODeadline?
    /// Whether the current read decoded any part.
    private var decodedPartInRead = false

    init(timeouts: HTTPConnectionStateMachine.Timeouts, logger: Logger) {
        self.state = HTTPConnectionStateMachine(timeouts: timeouts, openedAt: .now())
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // A pending callback finds no context and ends; cancelling would scan the loop's task queue.
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.closed()
        context.fireChannelInactive()
    }

    private func start(context: ChannelHandlerContext) {
        guard timerFiresAt == nil else { return }
        state = HTTPConnectionStateMachine(timeouts: state.timeouts, openedAt: .now())
        armTimer(context: context, now: .now())
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        decodedPartInRead = true
        let forward: Bool
        switch unwrapInboundIn(data) {
        case .head(let head): forward = state.receivedHead(now: .now(), keepAlive: head.isKeepAlive)
        case .body: forward = state.receivedBodyPart()
        case .end: forward = state.receivedEnd()
        }
        if forward { context.fireChannelRead(data) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !decodedPartInRead, state.isBetweenRequests {
            state.readBytesWithoutParts(now: .now())
        }
        decodedPartInRead = false
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason: String
        switch error {
        case let parserError as HTTPParserError: reason = "\(parserError)"
        case is ByteToMessageDecoderError: reason = "undecodable input"
        default:
            context.fireErrorCaught(error)
            return
        }
        guard state.phase == .open else { return }  // the decoder repeats itself for every later read
        let readError = HTTPRequestReadError.malformed(reason)
        logger.debug("malformed HTTP request", metadata: ["error": "\(reason)"])
        let readingBody = state.isReadingBody
        let action = state.parseError(readError, now: .now())
        if readingBody { context.fireErrorCaught(readError) }
        perform(action, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent {
            perform(state.inputClosed(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard state.phase == .open else {
            // The connection is closing: its last response, or the guard's error answer, is out.
            // Reported as written, so that Hummingbird's loop ends quietly and waits for the close
            // rather than closing at once (which would cut the linger short).
            promise?.succeed()
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if state.writingResponseHead() {
                head.headers.replaceOrAdd(name: "connection", value: "close")
                context.write(wrapOutboundOut(.head(head)), promise: promise)
            } else {
                context.write(data, promise: promise)
            }
        case .body:
            context.write(data, promise: promise)
        case .end:
            switch state.writingResponseEnd(now: .now()) {
            case .closeAfterWrite:
                let written = promise ?? context.eventLoop.makePromise()
                context.writeAndFlush(data, promise: written)
                closeAfter(written.futureResult, context: context)
            default:
                context.write(data, promise: promise)
            }
        }
    }

    // MARK: Actions

    private func perform(_ action: HTTPConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .respondAndClose(let error):
            logger.debug("closing connection", metadata: ["reason": "\(error)"])
            closeAfter(writeResponse(for: error, context: context), context: context)
        case .closeAfterWrite:
            // Only returned for a response end, handled in `write`.
            break
        case .closeNow:
            context.close(promise: nil)
        }
    }

    /// Writes `error` as a JSON response that closes the connection.
    private func writeResponse(for error: HTTPRequestReadError, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        let json: JSONValue = ["detail": .string(error.message)]
        let body = ByteBuffer(string: json.compactJSONString)
        let head = HTTPResponseHead(
            version: .http1_1,
            status: HTTPResponseStatus(statusCode: Int(error.status.code)),
            headers: [
                "Content-Type": "application/json", "Content-Length": "\(body.readableBytes)", "Connection": "close",
            ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        return written.futureResult
    }

    /// Once `written` completes: shuts the output down and lingers (see the type's documentation).
    private func closeAfter(_ written: EventLoopFuture<Void>, context: ChannelHandlerContext) {
        written.assumeIsolated().whenComplete { result in
            guard case .success = result else {
                context.close(promise: nil)
                return
            }
            let shutdown = context.eventLoop.makePromise(of: Void.self)
            context.close(mode: .output, promise: shutdown)
            shutdown.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        }
        if case .closing(let lingerUntil) = state.phase, timerFiresAt.map({ $0 > lingerUntil }) ?? true {
            schedule(at: lingerUntil, context: context)
        }
    }

    // MARK: Timer

    func handleScheduledCallback(eventLoop: some EventLoop) {
        let now = NIODeadline.now()
        // A callback superseded by an earlier one that re-armed the timer.
        if let firesAt = timerFiresAt, firesAt > now { return }
        timerFiresAt = nil
        guard let context, state.phase != .closed else { return }
        let action = state.timerFired(now: now)
        // A route reading the body gets an error, never the truncated body.
        if case .respondAndClose(.bodyTimeout) = action { context.fireErrorCaught(HTTPRequestReadError.bodyTimeout) }
        perform(action, context: context)
        armTimer(context: context, now: now)
    }

    /// Schedules the next check: at the running deadline, or one tick from now, whichever is
    /// first, so that a deadline that starts later is still checked on time.
    private func armTimer(context: ChannelHandlerContext, now: NIODeadline) {
        guard state.phase != .closed else { return }
        let nextTick = now + state.timeouts.tick
        schedule(at: state.deadline.map { min($0, nextTick) } ?? nextTick, context: context)
    }

    private func schedule(at deadline: NIODeadline, context: ChannelHandlerContext) {
        do {
            try context.eventLoop.assumeIsolated().scheduleCallback(at: deadline, handler: self)
            timerFiresAt = deadline
        } catch {
            // The event loop is shutting down, and the connection with it.
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension HTTPConnectionGuard: Sendable {}
