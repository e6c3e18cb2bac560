import NIOCore
import Synchronization

/// A sharded subscription (`SSUBSCRIBE`) over a cluster: channels grouped by the master that owns
/// their slot, one connection per master, every message merged into one stream.
///
/// When a slot moves (a reshard, a failover), its old owner ends the subscription of its channels
/// with an `sunsubscribe` push; they are then subscribed again on the new owner. Messages
/// published while a channel moves may be lost (sharded pub/sub is at most once). A lost
/// connection ends the whole subscription with an error, as on a single node.
final class ClusterSubscription: Sendable {
    private let router: RedisClusterRouter
    private let eventLoopGroup: any EventLoopGroup
    private let continuation: AsyncThrowingStream<RedisMessage, any Error>.Continuation
    private let work: AsyncStream<[String]>.Continuation
    private let state = Mutex(State())

    private struct State {
        var connections: [RedisNodeAddress: RedisConnection] = [:]
        var channels: Set<String> = []
        var moves: [String: Int] = [:]
        var closed = false
    }

    /// How often one channel may be moved to another node before the subscription gives up.
    private static let maximumMoves = 64

    private init(
        router: RedisClusterRouter,
        eventLoopGroup: any EventLoopGroup,
        continuation: AsyncThrowingStream<RedisMessage, any Error>.Continuation,
        work: AsyncStream<[String]>.Continuation
    ) {
        self.router = router
        self.eventLoopGroup = eventLoopGroup
        self.continuation = continuation
        self.work = work
    }

    /// Subscribes to `channels` (the first `SSUBSCRIBE`s are written before this returns).
    static func start(
        router: RedisClusterRouter,
        eventLoopGroup: any EventLoopGroup,
        channels: [String]
    ) async throws(RedisError) -> RedisSubscription {
        let (stream, continuation) = AsyncThrowingStream<RedisMessage, any Error>.makeStream()
        let (moves, work) = AsyncStream<[String]>.makeStream()
        let subscription = ClusterSubscription(router: router, eventLoopGroup: eventLoopGroup, continuation: continuation, work: work)
        continuation.onTermination = { _ in subscription.close() }
        subscription.state.withLock { $0.channels = Set(channels) }
        do {
            try await subscription.subscribe(channels)
        } catch {
            subscription.close()
            throw error
        }
        // Channels whose slot moved are subscribed again one batch at a time, in this task.
        Task {
            for await channels in moves {
                do throws(RedisError) {
                    _ = try await router.refresh(ifOlderThan: .milliseconds(50))
                    try await subscription.subscribe(channels)
                } catch {
                    subscription.fail(error)
                }
            }
        }
        return RedisSubscription(stream: stream, closer: RedisSubscription.Closer(continuation: continuation) { subscription.close() })
    }

    /// `SSUBSCRIBE`s `channels` on the masters of their slots, one command per slot.
    private func subscribe(_ channels: [String]) async throws(RedisError) {
        var bySlot: [HashSlot: [String]] = [:]
        for channel in channels { bySlot[HashSlot(key: channel), default: []].append(channel) }
        for (slot, group) in bySlot.sorted(by: { $0.key < $1.key }) {
            let address = try await router.master(for: slot).address
            let connection = try await connection(to: address)
            try connection.sendWithoutReply(["SSUBSCRIBE"] + group.map { RedisArgument($0) })
        }
    }

    private func connection(to address: RedisNodeAddress) async throws(RedisError) -> RedisConnection {
        if let existing = try state.withLock({ state throws(RedisError) -> RedisConnection? in
            if state.closed { throw RedisError(.closed, "the subscription was closed") }
            return state.connections[address].flatMap { $0.isActive ? $0 : nil }
        }) {
            return existing
        }
        let connection = try await RedisConnection.connect(
            configuration: router.configuration.forNode(address),
            eventLoop: eventLoopGroup.next(),
            pushHandler: { [weak self] reply in self?.received(reply, from: address) },
            closeHandler: { [weak self] error in self?.connectionClosed(error) }
        )
        let stored = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.connections[address] = connection
            return true
        }
        guard stored else {
            connection.close()
            throw RedisError(.closed, "the subscription was closed")
        }
        return connection
    }

    private func received(_ reply: RESPValue, from address: RedisNodeAddress) {
        if case .error(let message) = reply {
            // An SSUBSCRIBE sent to a node that no longer owns the slot.
            if let redirection = ClusterRedirection(errorMessage: message, answeredBy: address), redirection.kind == .moved {
                router.slotMoved(redirection.slot, to: redirection.address)
                let channels = state.withLock { state in state.channels.filter { HashSlot(key: $0) == redirection.slot } }
                move(Array(channels))
            } else {
                fail(RedisError(.serverError, message))
            }
            return
        }
        guard case .array(let parts) = reply, parts.count >= 3, let kind = parts[0].string else { return }
        switch kind {
        case "smessage", "message":
            if let channel = parts[1].string, case .bulkString(let payload) = parts[2] {
                continuation.yield(RedisMessage(channel: channel, payload: payload))
            }
        case "sunsubscribe":
            // The node gave the channel's slot away; we never unsubscribe a single channel ourselves.
            if let channel = parts[1].string { move([channel]) }
        default:
            break
        }
    }

    private func move(_ channels: [String]) {
        let failed = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            for channel in channels {
                state.moves[channel, default: 0] += 1
                if state.moves[channel, default: 0] > Self.maximumMoves { return true }
            }
            return false
        }
        if failed {
            fail(RedisError(.tooManyRedirections, "a shard channel kept moving between nodes"))
        } else if !channels.isEmpty {
            work.yield(channels)
        }
    }

    private func connectionClosed(_ error: RedisError) {
        let closedByUs = state.withLock { $0.closed }
        if !closedByUs { fail(error) }
    }

    private func fail(_ error: RedisError) {
        continuation.finish(throwing: error)
        close()
    }

    /// Closes every connection and ends the stream.
    func close() {
        let connections = state.withLock { state -> [RedisConnection] in
            guard !state.closed else { return [] }
            state.closed = true
            return Array(state.connections.values)
        }
        work.finish()
        continuation.finish()
        for connection in connections { connection.close() }
    }
}
