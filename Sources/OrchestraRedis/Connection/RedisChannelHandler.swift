import NIOCore

/// The event-loop side of one Redis connection: it batches outgoing commands into one socket
/// write per event-loop turn, decodes replies with hiredis and completes callers in order.
///
/// Loop-bound and not `Sendable`; ``RedisConnection`` reaches it through `NIOLoopBound`.
final class RedisChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A caller waiting for one reply, or for the replies of an explicit pipeline.
    enum Waiter {
        case one(EventLoopPromise<RESPValue>)
        case many(count: Int, EventLoopPromise<[RESPValue]>)
    }

    private struct Pending {
        var waiter: Waiter
        var deadline: NIODeadline
    }

    private enum State {
        case active
        case closed(RedisError)
    }

    private var state: State = .active
    private var context: ChannelHandlerContext?
    private var pending = CircularBuffer<Pending>(initialCapacity: 64)
    private var collected: [RESPValue] = []
    private var outbound: ByteBuffer
    private var flushScheduled = false
    private var sweepTask: Scheduled<Void>?
    private let decoder = RESPReplyDecoder()
    private let sweepInterval: TimeAmount
    /// Receives replies that answer no command: messages of a subscription connection.
    private let pushHandler: (@Sendable (RESPValue) -> Void)?
    private let onClose: @Sendable (RedisError) -> Void

    init(
        sweepInterval: TimeAmount,
        pushHandler: (@Sendable (RESPValue) -> Void)?,
        onClose: @escaping @Sendable (RedisError) -> Void
    ) {
        self.sweepInterval = sweepInterval
        self.pushHandler = pushHandler
        self.onClose = onClose
        self.outbound = ByteBufferAllocator().buffer(capacity: 16 * 1024)
    }

    // MARK: Commands

    /// Queues encoded command bytes; `waiter` (if any) receives the reply(ies) in order.
    func enqueue(_ bytes: ByteBuffer, waiter: Waiter?, deadline: NIODeadline) {
        guard case .active = state, let context else {
            let error: RedisError = if case .closed(let error) = state { error } else { RedisError(.closed, "connection closed") }
            waiter?.fail(error)
            return
        }
        if let waiter { pending.append(Pending(waiter: waiter, deadline: deadline)) }
        outbound.writeImmutableBuffer(bytes)
        if !flushScheduled {
            // Writes queued by other callers in this event-loop turn go out in the same syscall.
            flushScheduled = true
            context.eventLoop.assumeIsolated().execute { self.flushOutbound() }
        }
    }

    private func flushOutbound() {
        flushScheduled = false
        guard case .active = state, let context, outbound.readableBytes > 0 else { return }
        let bytes = outbound
        outbound = context.channel.allocator.buffer(capacity: max(16 * 1024, bytes.readableBytes / 2))
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
    }

    /// Fails every waiter with `error` and closes the channel; the connection is never reused.
    func close(with error: RedisError) {
        guard case .active = state else { return }
        state = .closed(error)
        sweepTask?.cancel()
        sweepTask = nil
        let waiters = pending
        pending.removeAll()
        collected.removeAll()
        for entry in waiters { entry.waiter.fail(error) }
        onClose(error)
        context?.close(promise: nil)
    }

    // MARK: ChannelHandler

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        scheduleSweep(on: context.eventLoop)
    }

    /// Checks the oldest waiter's deadline every `sweepInterval` (one timer per connection, not
    /// one per command).
    private func scheduleSweep(on eventLoop: any EventLoop) {
        sweepTask = eventLoop.assumeIsolated().scheduleTask(in: sweepInterval) {
            guard case .active = self.state else { return }
            self.sweepTimeouts()
            if case .active = self.state { self.scheduleSweep(on: eventLoop) }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        close(with: RedisError(.closed, "connection closed"))
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        do {
            try decoder.feed(bytes)
            while let reply = try decoder.next() { deliver(reply) }
        } catch {
            close(with: error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        close(with: RedisError(.connectionFailed, "connection lost"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(with: RedisError(.connectionFailed, "I/O error: \(error)"))
    }

    private func deliver(_ reply: RESPValue) {
        guard let head = pending.first else {
            if let pushHandler {
                pushHandler(reply)
            } else {
                close(with: RedisError(.protocolError, "reply without a command"))
            }
            return
        }
        switch head.waiter {
        case .one(let promise):
            pending.removeFirst()
            promise.succeed(reply)
        case .many(let count, let promise):
            collected.append(reply)
            if collected.count == count {
                pending.removeFirst()
                let replies = collected
                collected = []
                promise.succeed(replies)
            }
        }
    }

    private func sweepTimeouts() {
        guard let head = pending.first, head.deadline < .now() else { return }
        // Replies are matched by order, so a late reply cannot be skipped: the connection goes.
        close(with: RedisError(.timeout, "no reply within the command timeout"))
    }
}

extension RedisChannelHandler.Waiter {
    func fail(_ error: RedisError) {
        switch self {
        case .one(let promise): promise.fail(error)
        case .many(_, let promise): promise.fail(error)
        }
    }
}
