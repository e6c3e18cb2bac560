public import NIOCore

/// A message published on a channel.
public struct RedisMessage: Sendable, Hashable {
    /// The channel it was published on.
    public var channel: String
    /// The message payload, binary safe.
    public var payload: ByteBuffer

    /// The payload as UTF-8 text.
    public var text: String { String(buffer: payload) }
}

/// The messages of a `SUBSCRIBE`, in order. Dropping or cancelling iteration closes its connection(s).
public struct RedisSubscription: AsyncSequence, Sendable {
    public typealias Element = RedisMessage

    let stream: AsyncThrowingStream<RedisMessage, any Error>
    let closer: Closer

    /// Closes the subscription's connection and ends iteration.
    public func unsubscribe() { closer.close() }

    public func makeAsyncIterator() -> AsyncThrowingStream<RedisMessage, any Error>.AsyncIterator {
        stream.makeAsyncIterator()
    }

    final class Closer: Sendable {
        let continuation: AsyncThrowingStream<RedisMessage, any Error>.Continuation
        let closeConnections: @Sendable () -> Void

        init(
            continuation: AsyncThrowingStream<RedisMessage, any Error>.Continuation,
            closeConnections: @escaping @Sendable () -> Void
        ) {
            self.continuation = continuation
            self.closeConnections = closeConnections
        }

        func close() {
            continuation.finish()
            closeConnections()
        }
    }

    /// Turns a push reply of a subscription connection into a message (or ignores confirmations).
    static func route(_ reply: RESPValue, to continuation: AsyncThrowingStream<RedisMessage, any Error>.Continuation) {
        guard case .array(let parts) = reply, parts.count >= 3, let kind = parts[0].string else {
            if case .error(let message) = reply { continuation.finish(throwing: RedisError(.serverError, message)) }
            return
        }
        if kind == "message" || kind == "smessage", let channel = parts[1].string, case .bulkString(let payload) = parts[2] {
            continuation.yield(RedisMessage(channel: channel, payload: payload))
        }
    }
}
