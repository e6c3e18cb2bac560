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
public final class RedisClient: Sendable, Service {
    /// The configuration the client was created with.
    public let configuration: RedisConfiguration
    private let slots: [ConnectionSlot]
    private let nextSlot = Atomic<Int>(0)
    private let eventLoopGroup: any EventLoopGroup
    private let idleDedicated = Mutex<[RedisConnection]>([])
    private let isShutdown = Atomic<Bool>(false)
    private let logger: Logger

    /// A client for `configuration`; no connection is opened until the first command.
    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "orchestra.redis")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.slots = (0..<max(1, configuration.multiplexedConnections)).map { _ in
            ConnectionSlot(eventLoop: eventLoopGroup.next(), configuration: configuration)
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
        try await retryingTransientServerErrors { () async throws(RedisError) -> RESPValue in
            try await sharedConnection().send(arguments)
        }
    }

    /// Sends several commands in one write and returns every reply in order. The first error
    /// reply is thrown (never handed back as a value a reader could take for "empty"); when every
    /// reply is the same transient error (the server ran none of them) the pipeline is retried as
    /// ``send(_:)-(RedisArgument...)`` does. Commands are not atomic: use a function for that.
    public func pipeline(_ commands: [[RedisArgument]]) async throws(RedisError) -> [RESPValue] {
        try await retryingTransientServerErrors { () async throws(RedisError) -> [RESPValue] in
            let replies = try await sharedConnection().pipeline(commands)
            guard let failed = replies.firstIndex(where: { $0.errorMessage != nil }) else { return replies }
            let error = RedisError(.serverError, replies[failed].errorMessage ?? "")
            if error.isTransientServerError, replies.allSatisfy({ $0.errorMessage == replies[failed].errorMessage }) {
                throw error  // nothing ran: safe to retry the whole pipeline
            }
            throw RedisError(.serverError, "command \(failed + 1) of \(replies.count) in a pipeline failed: \(error.message)")
        }
    }

    /// Sends several commands in one write; an error reply fails only its own command and is
    /// returned as an ``RESPValue/error(_:)`` element. For callers that handle each reply.
    public func pipelineAllowingErrors(_ commands: [[RedisArgument]]) async throws(RedisError) -> [RESPValue] {
        try await sharedConnection().pipeline(commands)
    }

    /// Whether a shared connection is up right now (no connection is attempted).
    public var isConnected: Bool { slots.contains { $0.isConnected } }

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
    public func blockingSend(_ arguments: [RedisArgument], blockFor: Duration) async throws(RedisError) -> RESPValue {
        let timeout = blockFor + configuration.commandTimeout
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
    public func withDedicatedConnection<Result: Sendable>(
        _ body: (RedisConnection) async throws(RedisError) -> Result
    ) async throws(RedisError) -> Result {
        let connection = try await leaseDedicated()
        do {
            let result = try await body(connection)
            releaseDedicated(connection)
            return result
        } catch {
            releaseDedicated(connection)
            throw error
        }
    }

    /// Subscribes to channels on a dedicated connection; messages arrive in order until the
    /// subscription is dropped or its connection is lost (then iteration throws).
    ///
    /// - Parameter sharded: `SSUBSCRIBE` to shard channels (`SPUBLISH`, Redis 7+): on Redis
    ///   Cluster a message goes only to the node that owns the channel's slot.
    public func subscribe(to channels: [String], sharded: Bool = false) async throws(RedisError) -> RedisSubscription {
        try checkOpen()
        let (stream, continuation) = AsyncThrowingStream<RedisMessage, any Error>.makeStream()
        let connection = try await RedisConnection.connect(
            configuration: configuration,
            eventLoop: eventLoopGroup.next(),
            pushHandler: { reply in RedisSubscription.route(reply, to: continuation) },
            closeHandler: { error in continuation.finish(throwing: error) }
        )
        let closer = RedisSubscription.Closer(connection: connection, continuation: continuation)
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
        for slot in slots { slot.close() }
        let idle = idleDedicated.withLock { idle in
            defer { idle.removeAll() }
            return idle
        }
        for connection in idle { connection.close() }
        logger.debug("Redis client closed", metadata: ["endpoint": "\(configuration.endpointDescription)"])
    }

    // MARK: Connections

    private func checkOpen() throws(RedisError) {
        if isShutdown.load(ordering: .relaxed) { throw RedisError(.closed, "the Redis client was shut down") }
    }

    /// A shared connection, round robin over the slots; a slot that is down (it fails at once)
    /// is skipped for the next, so one reconnected slot serves everything until the others are back.
    private func sharedConnection() async throws(RedisError) -> RedisConnection {
        try checkOpen()
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

    private func leaseDedicated() async throws(RedisError) -> RedisConnection {
        try checkOpen()
        while let idle = idleDedicated.withLock({ $0.popLast() }) {
            if idle.isActive { return idle }
        }
        return try await RedisConnection.connect(configuration: configuration, eventLoop: eventLoopGroup.next())
    }

    private func releaseDedicated(_ connection: RedisConnection) {
        guard connection.isActive, !isShutdown.load(ordering: .relaxed) else {
            connection.close()
            return
        }
        let kept = idleDedicated.withLock { idle in
            guard idle.count < configuration.maximumIdleDedicatedConnections else { return false }
            idle.append(connection)
            return true
        }
        if !kept { connection.close() }
    }
}

extension RedisClient: CustomStringConvertible {
    /// A short name for logs (ServiceLifecycle logs every service it starts): never its
    /// configuration, which holds secrets.
    public var description: String { "RedisClient(\(configuration.endpointDescription))" }
}
