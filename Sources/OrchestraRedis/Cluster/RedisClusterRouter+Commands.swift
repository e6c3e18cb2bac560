import NIOCore

/// Sending commands on a cluster: routing by slot, redirections, transient errors.
///
/// Retry rules (the client cannot know whether a command that was written ran):
/// - `MOVED`: the slot's map entry is patched at once, a full refresh is asked for, and the
///   command goes to the named node. `ASK`: `ASKING` and the command go to the named node in one
///   write, once; the map is unchanged. At most ``RedisConfiguration/maximumRedirections`` of
///   either, then ``RedisError/Code/tooManyRedirections``.
/// - `TRYAGAIN`, `CLUSTERDOWN`, `LOADING`, `MASTERDOWN`, `BUSY`, and `UNBLOCKED` for a blocking
///   command whose master became a replica (the command did not run): retried with short doubling
///   pauses for up to ``RedisConfiguration/transientErrorRetryTime``, asking the map's owner again.
/// - A connection error *before* the command was written (the node cannot be reached): the map
///   is read again (a failover may have moved the slot); if another node now serves the slot the
///   command goes there, otherwise the error is thrown at once (fail fast while the cluster is down).
/// - A connection error *after* the command was written (lost connection, timeout): the command
///   may have run; it is thrown (a refresh is asked for) unless the caller declared the command
///   safe to repeat (`idempotent`), in which case it is retried like a transient error.
extension RedisClusterRouter {
    /// Where the next attempt of a command goes.
    enum Target: Sendable {
        case route(ClusterRoute)
        case node(RedisNodeAddress, asking: Bool)
    }

    /// The failure of one attempt, and whether the command had been written when it failed.
    struct AttemptFailure: Error {
        var error: RedisError
        var sent: Bool
    }

    /// Called with the node that answered an error reply; returns whether to send the command
    /// again (once), after fixing what the error names (loading a function on that node).
    typealias ErrorReplyHandler = @Sendable (RedisNodePool, RedisError) async throws(RedisError) -> Bool

    func pool(for target: Target) async throws(RedisError) -> RedisNodePool {
        switch target {
        case .route(.slot(let slot)): try await master(for: slot)
        case .route(.anyNode), .route(.allMasters): try await anyMaster()
        case .node(let address, _): try pool(for: address)
        }
    }

    /// Sends one command to the node its keys route it to (every master for `FUNCTION LOAD`,
    /// `SCRIPT LOAD`, flushes). An error reply throws.
    func send(
        _ command: [RedisArgument],
        idempotent: Bool = false,
        onErrorReply: ErrorReplyHandler? = nil
    ) async throws(RedisError) -> RESPValue {
        let route = try ClusterRoute(command)
        if case .allMasters = route { return try await sendToAllMasters(command) }
        let encoded = try RedisCommandEncoder.encode(command)
        return try await execute(route, idempotent: idempotent, onErrorReply: onErrorReply) { pool, asking throws(AttemptFailure) in
            let connection: RedisConnection
            do throws(RedisError) {
                connection = try await pool.sharedConnection()
            } catch {
                throw AttemptFailure(error: error, sent: false)
            }
            do throws(RedisError) {
                if asking { return try await connection.pipeline([["ASKING"], command])[1] }
                return try await connection.sendEncoded(encoded)
            } catch {
                throw AttemptFailure(error: error, sent: true)
            }
        }
    }

    /// Runs a blocking command on a dedicated connection to the node its keys route it to.
    func blockingSend(_ command: [RedisArgument], timeout: Duration) async throws(RedisError) -> RESPValue {
        let route = try ClusterRoute(command)
        if case .allMasters = route { throw RedisError(.notRoutable, "a command for every master cannot block") }
        return try await execute(route, idempotent: false, onErrorReply: nil) { pool, asking throws(AttemptFailure) in
            let connection: RedisConnection
            do throws(RedisError) {
                connection = try await pool.leaseDedicated()
            } catch {
                throw AttemptFailure(error: error, sent: false)
            }
            let result: Result<RESPValue, RedisError> = await withTaskCancellationHandler {
                do throws(RedisError) {
                    if asking { return .success(try await connection.pipeline([["ASKING"], command], timeout: timeout)[1]) }
                    return .success(try await connection.sendEncoded(RedisCommandEncoder.encode(command), timeout: timeout))
                } catch {
                    return .failure(error)
                }
            } onCancel: {
                connection.close()
            }
            pool.releaseDedicated(connection)
            switch result {
            case .success(let reply): return reply
            case .failure(let error): throw AttemptFailure(error: error, sent: true)
            }
        }
    }

    /// Sends one command on a dedicated connection to the master its keys route it to, with
    /// `WAIT` after it in the same write (see ``ReplicaAcknowledgement``). Redirections and
    /// transient errors are followed as for ``send(_:idempotent:onErrorReply:)``; too few
    /// confirmations throw ``RedisError/Code/notReplicated`` (the command ran: never retried).
    func send(
        _ command: [RedisArgument],
        replicatedTo acknowledgement: ReplicaAcknowledgement,
        onErrorReply: ErrorReplyHandler? = nil
    ) async throws(RedisError) -> RESPValue {
        let route = try ClusterRoute(command)
        guard case .slot = route else {
            throw RedisError(.notRoutable, "a write waited on by replicas needs keys that name its node")
        }
        let timeout = acknowledgement.timeout + configuration.commandTimeout
        return try await execute(route, idempotent: false, onErrorReply: onErrorReply) { pool, asking throws(AttemptFailure) in
            let connection: RedisConnection
            do throws(RedisError) {
                connection = try await pool.leaseDedicated()
            } catch {
                throw AttemptFailure(error: error, sent: false)
            }
            let replies: [RESPValue]
            do throws(RedisError) {
                replies = try await connection.pipeline(
                    (asking ? [["ASKING"]] : []) + [command, acknowledgement.waitCommand], timeout: timeout)
            } catch {
                pool.releaseDedicated(connection)
                throw AttemptFailure(error: error, sent: true)
            }
            pool.releaseDedicated(connection)
            let reply = replies[replies.count - 2]
            // An error reply (a redirection, TRYAGAIN, …) ran nothing: the retry loop decides.
            if reply.errorMessage != nil { return reply }
            do throws(RedisError) {
                try acknowledgement.check(replies[replies.count - 1])
            } catch {
                throw AttemptFailure(error: error, sent: true)
            }
            return reply
        }
    }

    /// Sends `command` to one node, retrying transient error replies; an error reply throws.
    func send(_ command: [RedisArgument], to pool: RedisNodePool) async throws(RedisError) -> RESPValue {
        var budget = RetryBudget(configuration.transientErrorRetryTime)
        while true {
            do {
                return try await pool.sharedConnection().send(command)
            } catch  where error.isTransientServerError {
                try await budget.pause(rethrowing: error)
            }
        }
    }

    /// Sends `command` to every master at once; the first reply, or the first error.
    func sendToAllMasters(_ command: [RedisArgument]) async throws(RedisError) -> RESPValue {
        let pools = try await allMasters()
        let results = await withTaskGroup(of: Result<RESPValue, RedisError>.self) { group in
            for pool in pools {
                // Not an inline typed-throws do/catch: see `attempt(_:_:)` in the pipeline.
                group.addTask { await self.result(of: command, on: pool) }
            }
            var results: [Result<RESPValue, RedisError>] = []
            for await result in group { results.append(result) }
            return results
        }
        for result in results { if case .failure(let error) = result { throw error } }
        guard case .success(let reply) = results.first else { throw RedisError(.serverError, "CLUSTERDOWN the cluster has no master") }
        return reply
    }

    private func result(of command: [RedisArgument], on pool: RedisNodePool) async -> Result<RESPValue, RedisError> {
        do throws(RedisError) {
            return .success(try await send(command, to: pool))
        } catch {
            return .failure(error)
        }
    }

    /// The retry loop of one command; `attempt` sends it to a node (after `ASKING` when asked to).
    private func execute(
        _ route: ClusterRoute,
        idempotent: Bool,
        onErrorReply: ErrorReplyHandler?,
        _ attempt: (RedisNodePool, Bool) async throws(AttemptFailure) -> RESPValue
    ) async throws(RedisError) -> RESPValue {
        var target = Target.route(route)
        var redirections = 0
        var budget = RetryBudget(configuration.transientErrorRetryTime)
        var handledErrorReply = false
        while true {
            let pool: RedisNodePool
            let reply: RESPValue
            do {
                pool = try await self.pool(for: target)
            } catch  where error.isTransientServerError {
                try await budget.pause(rethrowing: error)
                continue
            }
            do {
                let asking = if case .node(_, asking: true) = target { true } else { false }
                reply = try await attempt(pool, asking)
            } catch {
                let failure = error.error
                guard failure.code == .connectionRefused || failure.code == .connectionFailed || failure.code == .timeout else {
                    throw failure
                }
                if failure.code != .connectionRefused { requestRefresh() }
                if !error.sent, redirections < configuration.maximumRedirections,
                    await servedElsewhere(target, unreachable: pool.address)
                {
                    redirections += 1
                    target = .route(route)
                    continue
                }
                guard idempotent, error.sent else { throw failure }
                try await budget.pause(rethrowing: failure)
                target = .route(route)
                continue
            }
            guard case .error(let message) = reply else { return reply }
            if let redirection = ClusterRedirection(errorMessage: message, answeredBy: pool.address) {
                redirections += 1
                guard redirections <= configuration.maximumRedirections else {
                    throw RedisError(
                        .tooManyRedirections, "gave up after \(configuration.maximumRedirections) redirections; last: \(message)")
                }
                if redirection.kind == .moved { slotMoved(redirection.slot, to: redirection.address) }
                target = .node(redirection.address, asking: redirection.kind == .ask)
                continue
            }
            let error = RedisError(.serverError, message)
            // UNBLOCKED: a blocked command's master turned replica (a failover); it took nothing.
            if error.isTransientServerError || error.serverErrorPrefix == "UNBLOCKED" {
                if error.serverErrorPrefix != "LOADING" && error.serverErrorPrefix != "BUSY" { requestRefresh() }
                try await budget.pause(rethrowing: error)
                target = .route(route)
                continue
            }
            if !handledErrorReply, let onErrorReply, try await onErrorReply(pool, error) {
                handledErrorReply = true
                continue
            }
            throw error
        }
    }

    /// After `unreachable` could not be reached: whether the (re-read) map sends `target` to
    /// another node — a failover promoted a replica, or another master can take a keyless command.
    func servedElsewhere(_ target: Target, unreachable: RedisNodeAddress) async -> Bool {
        guard let topology = try? await refresh(ifOlderThan: .milliseconds(100)) else { return false }
        switch target {
        case .route(.slot(let slot)):
            return topology.master(for: slot).map { $0 != unreachable } ?? false
        case .node:
            return true  // a redirection named it: ask the map's owner instead
        case .route(.anyNode), .route(.allMasters):
            return topology.masters.contains { $0 != unreachable }
        }
    }
}

/// Short doubling pauses between retries of a transient failure, for up to a total time.
struct RetryBudget {
    private let limit: Duration
    private var waited = Duration.zero
    private var step = Duration.milliseconds(5)

    init(_ limit: Duration) { self.limit = limit }

    /// Sleeps before the next try, or throws `error` when the time is spent (or on cancellation).
    mutating func pause(rethrowing error: RedisError) async throws(RedisError) {
        guard waited < limit else { throw error }
        let sleep = min(step, limit - waited)
        do {
            try await Task.sleep(for: sleep)
        } catch {
            throw RedisError(.closed, "cancelled while Redis was unavailable")
        }
        waited += sleep
        step = min(step * 2, .milliseconds(100))
    }
}
