import Logging
import NIOCore
import Synchronization

/// The cluster side of a ``RedisClient``: the slot map, one ``RedisNodePool`` per node, and the
/// refreshes of the map.
///
/// The map is read with `CLUSTER SHARDS` (`CLUSTER SLOTS` before Redis 7) from any node that
/// answers: on first use, every ``RedisConfiguration/clusterRefreshInterval``, after a `MOVED`
/// (which also patches the one slot at once), after `CLUSTERDOWN`, and when a node cannot be
/// reached. Concurrent requests for a refresh share one; one asked for while another runs
/// follows it, so a map read before a migration ended is soon replaced.
final class RedisClusterRouter: Sendable {
    let configuration: RedisConfiguration
    let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let state = Mutex(State())
    private let periodicRefresh = Mutex<RepeatedTask?>(nil)

    private struct State {
        var topology: ClusterTopology?
        var pools: [RedisNodeAddress: RedisNodePool] = [:]
        var refresh: Task<Result<ClusterTopology, RedisError>, Never>?
        var refreshAgain = false
        var lastRefresh: ContinuousClock.Instant?
        var closed = false
    }

    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        let interval = TimeAmount(configuration.clusterRefreshInterval)
        if interval > .zero {
            let task = eventLoopGroup.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
                self?.requestRefresh()
            }
            periodicRefresh.withLock { $0 = task }
        }
    }

    // MARK: Nodes

    /// The pool of `address`, created on first use.
    func pool(for address: RedisNodeAddress) throws(RedisError) -> RedisNodePool {
        try state.withLock { state throws(RedisError) in try Self.pool(for: address, in: &state, self) }
    }

    private static func pool(for address: RedisNodeAddress, in state: inout State, _ router: RedisClusterRouter) throws(RedisError)
        -> RedisNodePool
    {
        if state.closed { throw RedisError(.closed, "the Redis client was shut down") }
        if let pool = state.pools[address] { return pool }
        let pool = RedisNodePool(configuration: router.configuration.forNode(address), eventLoopGroup: router.eventLoopGroup)
        state.pools[address] = pool
        return pool
    }

    /// The master serving `slot` (reading the map first if there is none yet). A slot no master
    /// serves is a `CLUSTERDOWN` error, which callers retry as a transient error.
    func master(for slot: HashSlot) async throws(RedisError) -> RedisNodePool {
        if let pool = try state.withLock({ state throws(RedisError) -> RedisNodePool? in
            guard let address = state.topology?.master(for: slot) else { return nil }
            return try Self.pool(for: address, in: &state, self)
        }) {
            return pool
        }
        let topology = try await currentTopology()
        guard let address = topology.master(for: slot) else {
            requestRefresh()
            throw RedisError(.serverError, "CLUSTERDOWN no node of the client's map serves hash slot \(slot)")
        }
        return try pool(for: address)
    }

    /// Any master, preferring one already connected (for commands without keys).
    func anyMaster() async throws(RedisError) -> RedisNodePool {
        let masters = try await currentTopology().masters
        guard !masters.isEmpty else { throw RedisError(.serverError, "CLUSTERDOWN the cluster has no master") }
        var pools: [RedisNodePool] = []
        for address in masters { pools.append(try pool(for: address)) }
        return pools.filter(\.isConnected).randomElement() ?? pools.randomElement()!
    }

    /// The pools of every master.
    func allMasters() async throws(RedisError) -> [RedisNodePool] {
        var pools: [RedisNodePool] = []
        for address in try await currentTopology().masters { pools.append(try pool(for: address)) }
        return pools
    }

    /// Whether a shared connection to some node is up now.
    var isConnected: Bool { state.withLock { $0.pools.values.contains { $0.isConnected } } }

    // MARK: Topology

    /// The current map, reading it first when there is none.
    func currentTopology() async throws(RedisError) -> ClusterTopology {
        if let topology = state.withLock({ $0.topology }) { return topology }
        return try await refresh()
    }

    /// The map as the cluster reports it now. With `ifOlderThan`, a map read more recently is
    /// returned as it is (so a burst of failures costs one read).
    @discardableResult
    func refresh(ifOlderThan age: Duration? = nil) async throws(RedisError) -> ClusterTopology {
        enum Next {
            case current(ClusterTopology)
            case wait(Task<Result<ClusterTopology, RedisError>, Never>)
        }
        let next = try state.withLock { state throws(RedisError) -> Next in
            if state.closed { throw RedisError(.closed, "the Redis client was shut down") }
            if let age, let topology = state.topology, let last = state.lastRefresh, ContinuousClock.now - last < age {
                return .current(topology)
            }
            if let running = state.refresh { return .wait(running) }
            return .wait(startRefresh(&state))
        }
        switch next {
        case .current(let topology): return topology
        case .wait(let task): return try await task.value.get()
        }
    }

    /// Asks for a refresh without waiting for it (after `MOVED`, `CLUSTERDOWN`, a lost node).
    func requestRefresh() {
        state.withLock { state in
            guard !state.closed else { return }
            if state.refresh != nil {
                state.refreshAgain = true
            } else {
                _ = startRefresh(&state)
            }
        }
    }

    /// Patches one slot after `MOVED`, until the next full read.
    func slotMoved(_ slot: HashSlot, to address: RedisNodeAddress) {
        state.withLock { state in state.topology?.assign(slot, to: address) }
        requestRefresh()
    }

    private func startRefresh(_ state: inout State) -> Task<Result<ClusterTopology, RedisError>, Never> {
        // Nodes already connected first, then the rest of the map, then the seeds.
        var candidates: [RedisNodeAddress] = []
        let known = (state.topology?.allNodes ?? []).shuffled() + configuration.clusterNodes
        for address in known where !candidates.contains(address) { candidates.append(address) }
        let connected = candidates.filter { state.pools[$0]?.isConnected == true }
        candidates = connected + candidates.filter { !connected.contains($0) }
        let order = candidates
        let task = Task { await self.readTopology(from: order) }
        state.refresh = task
        state.refreshAgain = false
        return task
    }

    private func readTopology(from candidates: [RedisNodeAddress]) async -> Result<ClusterTopology, RedisError> {
        var lastError = RedisError(.connectionFailed, "no Redis Cluster node configured")
        for address in candidates {
            do {
                let topology = try await readTopology(at: try pool(for: address))
                guard !topology.shards.isEmpty else {
                    lastError = RedisError(.serverError, "CLUSTERDOWN \(address) knows no slot yet")
                    continue
                }
                installed(.success(topology))
                return .success(topology)
            } catch {
                if error.code == .closed { break }
                lastError = error
            }
        }
        logger.debug("Redis Cluster map not read", metadata: ["error": "\(lastError)"])
        installed(.failure(lastError))
        return .failure(lastError)
    }

    private func readTopology(at pool: RedisNodePool) async throws(RedisError) -> ClusterTopology {
        let connection = try await pool.sharedConnection()
        let shards = try await connection.sendEncoded(RedisCommandEncoder.encode(["CLUSTER", "SHARDS"]))
        if let message = shards.errorMessage {
            guard message.lowercased().contains("unknown subcommand") else { throw RedisError(.serverError, message) }
            let slots = try await connection.send(["CLUSTER", "SLOTS"])
            return try ClusterTopology(slotsReply: slots, answeredBy: pool.address)
        }
        return try ClusterTopology(shardsReply: shards, answeredBy: pool.address)
    }

    private func installed(_ result: Result<ClusterTopology, RedisError>) {
        let retired = state.withLock { state -> [RedisNodePool] in
            state.refresh = nil
            if state.refreshAgain, !state.closed {
                state.refreshAgain = false
                _ = startRefresh(&state)
            }
            guard case .success(let topology) = result, !state.closed else { return [] }
            let changed = state.topology.map { $0.shards != topology.shards } ?? true
            state.topology = topology
            state.lastRefresh = .now
            if changed {
                logger.debug("Redis Cluster map read", metadata: ["masters": "\(topology.masters.map(\.description))"])
            }
            // Nodes that left the cluster (seeds stay, for discovery).
            let keep = Set(topology.allNodes + configuration.clusterNodes)
            let gone = state.pools.keys.filter { !keep.contains($0) }
            return gone.compactMap { state.pools.removeValue(forKey: $0) }
        }
        guard !retired.isEmpty else { return }
        // Commands may still be in flight on them: close once they have had their timeout.
        eventLoopGroup.next().scheduleTask(in: TimeAmount(configuration.commandTimeout)) {
            for pool in retired { pool.close() }
        }
    }

    // MARK: Lifecycle

    /// Closes every node's connections and stops refreshing.
    func close() {
        periodicRefresh.withLock { task in
            task?.cancel()
            task = nil
        }
        let pools = state.withLock { state in
            state.closed = true
            state.refresh?.cancel()
            defer { state.pools.removeAll() }
            return Array(state.pools.values)
        }
        for pool in pools { pool.close() }
    }
}
