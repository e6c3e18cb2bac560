import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// The gateway's HTTP/1 connections: hummingbird-websocket's ``HTTP1WebSocketUpgradeChannel``
/// (Hummingbird's HTTP/1 serving, and `GET /ws` upgraded to ``WebSocketEvents``) with
/// - a connection limit: a connection accepted while ``ConnectionLimiter/limit`` are open is
///   closed at once, before any handler or task exists for it; its place frees when one closes;
/// - an ``HTTPConnectionGuard`` between NIO's HTTP/1 decoder and Hummingbird's conversion to HTTP
///   types: timeouts, JSON answers to malformed requests, closes after `Connection: close` and
///   after a response that left its request's body unread.
///
/// Requests are then served by Hummingbird's own loop.
struct GatewayHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    /// A connection over the limit; the channel is closed, never served.
    struct ConnectionLimitReached: Error {}

    /// The name the guard has in the channel pipeline (an upgrade to WebSocket removes it).
    static let guardName = "orchestra.http-guard"

    let http1: HTTP1WebSocketUpgradeChannel
    let limiter: ConnectionLimiter
    let timeouts: HTTPConnectionStateMachine.Timeouts

    /// The channel for `responder`, upgrading `GET /ws` to a WebSocket handled by `webSocket`.
    init(
        responder: @escaping HTTPChannelHandler.Responder, webSocket: WebSocketEvents,
        limiter: ConnectionLimiter, timeouts: HTTPConnectionStateMachine.Timeouts
    ) {
        // Idle timeouts are the guard's, as every other timeout.
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: HTTP1Channel.Configuration(idleTimeout: nil),
            ws: WebSocketServerConfiguration(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(30))))
        self.http1 = HTTP1WebSocketUpgradeChannel(responder: responder, configuration: configuration) { head, channel, _ in
            let decision = webSocket.shouldUpgrade(head)
            if case .upgrade = decision {
                // From here on the connection carries WebSocket frames, not HTTP parts.
                try await channel.pipeline.removeHandler(name: Self.guardName).get()
            }
            return decision
        }
        self.limiter = limiter
        self.timeouts = timeouts
    }

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
            try pipeline.addHandler(
                HTTPConnectionGuard(timeouts: timeouts, logger: logger), name: Self.guardName, position: .after(decoder))
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
