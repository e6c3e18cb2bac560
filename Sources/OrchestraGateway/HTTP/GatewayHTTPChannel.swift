import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// The gateway's HTTP/1 connections: Hummingbird's ``HTTP1Channel`` with
/// - a connection limit: a connection accepted while ``ConnectionLimiter/limit`` are open is
///   closed at once, before any handler or task exists for it; its place frees when one closes;
/// - an ``HTTPConnectionGuard`` between NIO's HTTP/1 decoder and Hummingbird's conversion to HTTP
///   types: timeouts, JSON answers to malformed requests, closes after `Connection: close` and
///   after a response that left its request's body unread.
///
/// Requests are then served by Hummingbird's own loop (`HTTP1Channel.handle`).
struct GatewayHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    /// A connection over the limit; the channel is closed, never served.
    struct ConnectionLimitReached: Error {}

    let http1: HTTP1Channel
    let limiter: ConnectionLimiter
    let timeouts: HTTPConnectionStateMachine.Timeouts

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard limiter.acquire() else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ConnectionLimitReached())
        }
        let limiter = self.limiter
        channel.closeFuture.whenComplete { _ in limiter.release() }
        let timeouts = self.timeouts
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(HTTPConnectionGuard(timeouts: timeouts, logger: logger), position: .after(decoder))
            return value
        }.flatMapErrorThrowing { error in
            channel.close(promise: nil)
            throw error
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}
