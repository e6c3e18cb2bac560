import NIOCore
import Synchronization

/// The connections of a client to one Redis server: a few shared (pipelined)
/// ``ConnectionSlot``s, and an idle pool of dedicated connections for blocking commands.
///
/// A single-node ``RedisClient`` has one; in cluster mode each node gets its own, created on
/// first use.
final class RedisNodePool: Sendable {
    /// The configuration of this node (its host and port, the client's credentials and timeouts).
    let configuration: RedisConfiguration
    private let slots: [ConnectionSlot]
    private let nextSlot = Atomic<Int>(0)
    private let eventLoopGroup: any EventLoopGroup
    private let dedicated = Mutex(Dedicated())

    private struct Dedicated {
        var idle: [RedisConnection] = []
        var closed = false
    }

    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.slots = (0..<max(1, configuration.multiplexedConnections)).map { _ in
            ConnectionSlot(eventLoop: eventLoopGroup.next(), configuration: configuration)
        }
    }

    /// The node's address.
    var address: RedisNodeAddress { RedisNodeAddress(host: configuration.host, port: configuration.port) }

    /// Whether a shared connection is up right now (no connection is attempted).
    var isConnected: Bool { slots.contains { $0.isConnected } }

    /// A shared connection, round robin; fails at once while the node is down.
    /// A shared connection, round robin over the slots; a slot that is down (it fails at once)
    /// is skipped for the next, so one reconnected slot serves everything until the others are back.
    func sharedConnection() async throws(RedisError) -> RedisConnection {
        let index = nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue
        var firstError: RedisError?
        for offset in 0..<slots.count {
            do {
                return try await slots[(index &+ offset) % slots.count].connection()
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        throw firstError ?? RedisError(.connectionFailed, "no connection")
    }

    /// A connection no one else uses, from the idle pool or newly opened.
    func leaseDedicated() async throws(RedisError) -> RedisConnection {
        while let idle = try dedicated.withLock({ state throws(RedisError) -> RedisConnection? in
            if state.closed { throw RedisError(.closed, "the Redis client was shut down") }
            return state.idle.popLast()
        }) {
            if idle.isActive { return idle }
        }
        return try await RedisConnection.connect(configuration: configuration, eventLoop: eventLoopGroup.next())
    }

    /// Gives a dedicated connection back: kept idle if it is healthy and there is room.
    func releaseDedicated(_ connection: RedisConnection) {
        let kept = dedicated.withLock { state in
            guard connection.isActive, !state.closed, state.idle.count < configuration.maximumIdleDedicatedConnections else {
                return false
            }
            state.idle.append(connection)
            return true
        }
        if !kept { connection.close() }
    }

    /// Closes every connection; later requests fail with ``RedisError/Code/closed``.
    func close() {
        for slot in slots { slot.close() }
        let idle = dedicated.withLock { state in
            state.closed = true
            defer { state.idle.removeAll() }
            return state.idle
        }
        for connection in idle { connection.close() }
    }
}
