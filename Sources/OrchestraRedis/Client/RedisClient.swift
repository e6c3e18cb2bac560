public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization

/// An async Redis client over our hiredis shim. Safe to share by any number of tasks.
///
/// - Ordinary commands go through a few shared connections and are pipelined: commands issued
///   while a round trip is in flight go out together, replies are matched in order.
/// - Blocking commands (`BLMOVE`, `BZPOPMIN`, `XREAD BLOCK`, …) and subscriptions get dedicated
///   connections so they never stall other traffic.
/// - Connections are opened lazily and replaced after any I/O, protocol or timeout error,
///   with backoff between failed attempts; no restart is needed when the server comes back.
///
/// Run it as a `Service` in a `ServiceGroup` to close it gracefully, or call ``shutdown()``.
///
/// ## Redis Cluster
/// With ``RedisConfiguration/clusterNodes`` set the same API works on Redis Cluster (or Valkey
/// in cluster mode): each command goes to the master serving the hash slot of its keys, with
/// shared connections and dedicated ones per node; `MOVED` and `ASK` are followed; a command
/// whose keys hash to several slots is refused with ``RedisError/Code/crossSlot`` without being
/// sent. Commands without keys (`PING`, `TIME`, `INFO`, `PUBLISH`, `CLUSTER …`) go to any master,
/// `FUNCTION LOAD`, `SCRIPT LOAD` and the flushes to every master. The retry rules are those of
/// `RedisClusterRouter+Commands.swift`.
public final class RedisClient: Sendable, Service {
    /// The configuration the client was created with.
    public let configuration: RedisConfiguration
    /// The single node's connections; `nil` in cluster mode.
    private let node: RedisNodePool?
    /// The cluster's slot map and nodes; `nil` for a single node.
    let cluster: RedisClusterRouter?
    private let eventLoopGroup: any EventLoopGroup
    private let isShutdown = Atomic<Bool>(false)
    private let logger: Logger

    /// A client for `configuration`; no connection is opened until the first command.
    ///
    /// In cluster mode (``RedisConfiguration/clusterNodes`` not empty) the first command reads
    /// the cluster's slot map from a seed. A database other than 0 there makes every command
    /// fail with ``RedisError/Code/invalidConfiguration``
    /// (``RedisConfiguration/validateClusterMode()`` tells it up front).
    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "orchestra.redis")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        if configuration.isClusterMode {
            self.node = nil
            self.cluster = RedisClusterRouter(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        } else {
            self.node = RedisNodePool(configuration: configuration, eventLoopGroup: eventLoopGroup)
            self.cluster = nil
        }
    }

    // MARK: Commands

    /// Sends one command and returns its reply. An error reply throws ``RedisError/Code/serverError``;
    /// a transient one (`LOADING`, `BUSY`, `MASTERDOWN`, `TRYAGAIN`, `CLUSTERDOWN`: the command was
    /// not run) is retried for up to ``RedisConfiguration/transientErrorRetryTime`` first. With no
    /// connection up it fails at once (``RedisError/Code/connectionRefused`` or the connect error)
    /// while the client reconnects in the background.
    @discardableResult
    public func send(_ arguments: RedisArgument...) async throws(RedisError) -> RESPValue {
        try await send(arguments)
    }

    /// Sends one command and returns its reply; see ``send(_:)-(RedisArgument...)``.
    @discardableResult
    public func send(_ arguments: [RedisArgument]) async throws(RedisError) -> RESPValue {
        if let cluster { return try await clusterCall { () async throws(RedisError) in try await cluster.send(arguments) } }
        return try await retryingTransientServerErrors { () async throws(RedisError) -> RESPValue in
            try await sharedConnection().send(arguments)
        }
    }

    /// Sends one command that is safe to run twice (a read, a fenced or idempotent write).
    ///
    /// Like ``send(_:)-([RedisArgument])``, and when the connection fails *after* the command
    /// was written (so it may or may not have run) it is sent again, for up to
    /// ``RedisConfiguration/transientErrorRetryTime``. Without `idempotent`, such a failure is
    /// thrown: only a command that was never written is retried (on a cluster, on the node that
    /// took the slot over).
    @discardableResult
    public func send(_ arguments: [RedisArgument], idempotent: Bool) async throws(RedisError) -> RESPValue {
        guard idempotent else { return try await send(arguments) }
        if let cluster {
            return try await clusterCall { () async throws(RedisError) in try await cluster.send(arguments, idempotent: true) }
        }
        var budget = RetryBudget(configuration.transientErrorRetryTime)
        while true {
            do {
                return try await send(arguments)
            } catch  where error.code == .connectionFailed || error.code == .timeout {
                try await budget.pause(rethrowing: error)
            }
        }
    }

    /// Sends several commands in one write and returns every reply in order. The first error
    /// reply is thrown (never handed back as a value a reader could take for "empty"); when every
    /// reply is the same transient error (the server ran none of them) the pipeline is retried as
    /// ``send(_:)-(RedisArgument...)`` does. Commands are not atomic: use a function for that.
    ///
    /// On a cluster the commands are split by node, each node's part is one write, and the
    /// replies come back in the caller's order; each command follows its own redirections and
    /// is retried alone on a transient error (see `RedisClusterRouter+Pipeline.swift`).
    public func pipeline(_ commands: [[RedisArgument]]) async throws(RedisError) -> [RESPValue] {
        if let cluster {
            let replies = try await clusterCall { () async throws(RedisError) in try await cluster.pipeline(commands) }
            try Self.throwFirstError(of: replies)
            return replies
        }
        return try await retryingTransientServerErrors { () async throws(RedisError) -> [RESPValue] in
            let replies = try await sharedConnection().pipeline(commands)
            try Self.throwFirstError(of: replies)
            return replies
        }
    }

    /// Throws the first error reply of a pipeline: as it is when every reply is the same transient
    /// error (nothing ran, the whole pipeline may be retried), else naming its position.
    private static func throwFirstError(of replies: [RESPValue]) throws(RedisError) {
        guard let failed = replies.firstIndex(where: { $0.errorMessage != nil }) else { return }
        let error = RedisError(.serverError, replies[failed].errorMessage ?? "")
        if error.isTransientServerError, replies.allSatisfy({ $0.errorMessage == replies[failed].errorMessage }) {
            throw error
        }
        throw RedisError(.serverError, "command \(failed + 1) of \(replies.count) in a pipeline failed: \(error.message)")
    }

    /// Sends several commands in one write; an error reply fails only its own command and is
    /// returned as an ``RESPValue/error(_:)`` element. For callers that handle each reply.
    public func pipelineAllowingErrors(_ commands: [[RedisArgument]]) async throws(RedisError) -> [RESPValue] {
        if let cluster { return try await clusterCall { () async throws(RedisError) in try await cluster.pipeline(commands) } }
        return try await sharedConnection().pipeline(commands)
    }

    /// Whether a shared connection is up right now (no connection is attempted); on a cluster,
    /// to at least one node.
    public var isConnected: Bool { node?.isConnected ?? cluster?.isConnected ?? false }

    /// Runs a cluster request after checking that the client is open and its configuration valid.
    func clusterCall<Value>(_ body: () async throws(RedisError) -> Value) async throws(RedisError) -> Value {
        try checkOpen()
        try configuration.validateClusterMode()
        return try await body()
    }

    /// Runs `body` again while it throws a transient server error (the server ran nothing), for
    /// up to the configured retry time, with short doubling pauses.
    public func retryingTransientServerErrors<Value>(
        _ body: () async throws(RedisError) -> Value
    ) async throws(RedisError) -> Value {
        var waited = Duration.zero
        var pause = Duration.milliseconds(5)
        while true {
            do {
                return try await body()
            } catch  where error.isTransientServerError && waited < configuration.transientErrorRetryTime {
                let step = min(pause, configuration.transientErrorRetryTime - waited)
                do {
                    try await Task.sleep(for: step)
                } catch {
                    throw RedisError(.closed, "cancelled while Redis was unavailable")
                }
                waited += step
                pause = min(pause * 2, .milliseconds(100))
            }
        }
    }

    /// Runs a blocking command (`BLMOVE`, `BZPOPMIN`, `XREAD BLOCK`, …) on a dedicated connection.
    ///
    /// - Parameter blockFor: the command's own block time; the reply may take that long plus the
    ///   command timeout. Cancelling the calling task closes the connection and throws.
    ///
    /// On a cluster the connection is to the master serving the command's keys (which must
    /// share one hash slot), and a `MOVED`/`ASK` reply sends the command on to the named node.
    public func blockingSend(_ arguments: [RedisArgument], blockFor: Duration) async throws(RedisError) -> RESPValue {
        let timeout = blockFor + configuration.commandTimeout
        if let cluster {
            return try await clusterCall { () async throws(RedisError) in try await cluster.blockingSend(arguments, timeout: timeout) }
        }
        return try await withDedicatedConnection { connection throws(RedisError) in
            let result: Result<RESPValue, RedisError> = await withTaskCancellationHandler {
                do throws(RedisError) {
                    return .success(try await connection.send(arguments, timeout: timeout))
                } catch {
                    return .failure(error)
                }
            } onCancel: {
                connection.close()
            }
            return try result.get()
        }
    }

    /// Lends `body` a connection no one else uses (for blocking commands or `MULTI`/`EXEC`).
    /// It goes back to a small idle pool afterwards if it is still healthy.
    ///
    /// In cluster mode this needs a routing key: use ``withDedicatedConnection(routingKey:_:)``;
    /// here it throws ``RedisError/Code/notRoutable``.
    public func withDedicatedConnection<Result: Sendable>(
        _ body: (RedisConnection) async throws(RedisError) -> Result
    ) async throws(RedisError) -> Result {
        guard let node else {
            throw RedisError(
                .notRoutable, "on Redis Cluster a dedicated connection needs a routing key (withDedicatedConnection(routingKey:))")
        }
        try checkOpen()
        return try await Self.withDedicatedConnection(from: node, body)
    }

    /// Lends `body` a connection no one else uses, to the node serving `routingKey`'s hash slot
    /// in cluster mode (every key `body` touches must share that slot: use one `{hash tag}`);
    /// on a single node the key is ignored. A `MOVED` reply inside `body` is not followed.
    public func withDedicatedConnection<Result: Sendable>(
        routingKey: RedisArgument,
        _ body: (RedisConnection) async throws(RedisError) -> Result
    ) async throws(RedisError) -> Result {
        guard let cluster else { return try await withDedicatedConnection(body) }
        let pool = try await clusterCall { () async throws(RedisError) in try await cluster.master(for: HashSlot(key: routingKey)) }
        return try await Self.withDedicatedConnection(from: pool, body)
    }

    private static func withDedicatedConnection<Result: Sendable>(
        from pool: RedisNodePool,
        _ body: (RedisConnection) async throws(RedisError) -> Result
    ) async throws(RedisError) -> Result {
        let connection = try await pool.leaseDedicated()
        do {
            let result = try await body(connection)
            pool.releaseDedicated(connection)
            return result
        } catch {
            pool.releaseDedicated(connection)
            throw error
        }
    }

    /// Subscribes to channels on a dedicated connection; messages arrive in order until the
    /// subscription is dropped or its connection is lost (then iteration throws).
    ///
    /// - Parameter sharded: `SSUBSCRIBE` to shard channels (`SPUBLISH`, Redis 7+): on Redis
    ///   Cluster a message goes only to the node that owns the channel's slot. In cluster mode
    ///   the channels are grouped by owning master, one connection each, and subscribed again on
    ///   the new owner when their slot moves. A plain (`sharded: false`) subscription uses one
    ///   connection to any master: `PUBLISH` reaches every node of a cluster.
    public func subscribe(to channels: [String], sharded: Bool = false) async throws(RedisError) -> RedisSubscription {
        try checkOpen()
        var nodeConfiguration = configuration
        if let cluster {
            try configuration.validateClusterMode()
            if sharded {
                return try await ClusterSubscription.start(router: cluster, eventLoopGroup: eventLoopGroup, channels: channels)
            }
            nodeConfiguration = try await cluster.anyMaster().configuration
        }
        let (stream, continuation) = AsyncThrowingStream<RedisMessage, any Error>.makeStream()
        let connection = try await RedisConnection.connect(
            configuration: nodeConfiguration,
            eventLoop: eventLoopGroup.next(),
            pushHandler: { reply in RedisSubscription.route(reply, to: continuation) },
            closeHandler: { error in continuation.finish(throwing: error) }
        )
        let closer = RedisSubscription.Closer(continuation: continuation) { connection.close() }
        continuation.onTermination = { _ in connection.close() }
        try connection.sendWithoutReply([sharded ? "SSUBSCRIBE" : "SUBSCRIBE"] + channels.map { RedisArgument($0) })
        return RedisSubscription(stream: stream, closer: closer)
    }

    // MARK: Lifecycle

    /// Waits for graceful shutdown, then closes every connection.
    public func run() async throws {
        try? await gracefulShutdown()
        shutdown()
    }

    /// Closes every connection; later commands fail with ``RedisError/Code/closed``.
    public func shutdown() {
        guard !isShutdown.exchange(true, ordering: .relaxed) else { return }
        node?.close()
        cluster?.close()
        logger.debug("Redis client closed", metadata: ["endpoint": "\(configuration.endpointDescription)"])
    }

    // MARK: Connections

    private func checkOpen() throws(RedisError) {
        if isShutdown.load(ordering: .relaxed) { throw RedisError(.closed, "the Redis client was shut down") }
    }

    private func sharedConnection() async throws(RedisError) -> RedisConnection {
        try checkOpen()
        guard let node else { throw RedisError(.notRoutable, "a single-node request in cluster mode") }
        return try await node.sharedConnection()
    }
}

extension RedisClient: CustomStringConvertible {
    /// A short name for logs (ServiceLifecycle logs every service it starts): never its
    /// configuration, which holds secrets.
    public var description: String { "RedisClient(\(configuration.endpointDescription))" }
}
