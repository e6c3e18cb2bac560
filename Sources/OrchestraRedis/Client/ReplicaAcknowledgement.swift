/// How many replicas must have a write before it counts as done, and how long to wait for them
/// (`WAIT numreplicas timeout` after the write, on the same connection to the same node).
///
/// Redis replicates asynchronously: a master that crashes right after answering can take the
/// write with it, and the replica promoted in its place never saw it. A write followed by a
/// successful `WAIT` is on that many replicas, so a failover keeps it.
public struct ReplicaAcknowledgement: Sendable, Hashable {
    /// Replicas that must confirm the write, at least 1.
    public var replicas: Int
    /// How long to wait for them; fewer confirmations by then is ``RedisError/Code/notReplicated``.
    public var timeout: Duration

    /// `replicas` confirmations within `timeout`.
    public init(replicas: Int, timeout: Duration) {
        self.replicas = max(1, replicas)
        self.timeout = timeout
    }

    var timeoutMilliseconds: Int {
        max(1, Int(timeout.components.seconds) * 1000 + Int(timeout.components.attoseconds / 1_000_000_000_000_000))
    }

    /// `WAIT replicas timeout-ms`.
    var waitCommand: [RedisArgument] { ["WAIT", RedisArgument(replicas), RedisArgument(timeoutMilliseconds)] }

    /// Checks `WAIT`'s reply (the number of replicas that confirmed).
    func check(_ reply: RESPValue) throws(RedisError) {
        if let message = reply.errorMessage { throw RedisError(.serverError, message) }
        let confirmed = try reply.decodeInt()
        guard confirmed >= replicas else {
            throw RedisError(
                .notReplicated,
                "the write reached \(confirmed) of \(replicas) replica(s) within \(timeoutMilliseconds) ms; a failover now could lose it")
        }
    }
}

extension RedisClient {
    /// Calls `function` of `library` as ``call(_:_:keys:arguments:readOnly:)`` does, on a
    /// dedicated connection to the node that runs it, followed by `WAIT` on that connection: it
    /// returns only once `acknowledgement.replicas` replicas have the write.
    ///
    /// - Throws: ``RedisError/Code/notReplicated`` when fewer replicas confirmed within the
    ///   timeout. The function did run on the master: its write is there, but may be lost if the
    ///   master fails before replicating it. Such a failure is not retried.
    @discardableResult
    public func call(
        _ library: RedisFunctionLibrary,
        _ function: String,
        keys: [RedisArgument],
        arguments: [RedisArgument] = [],
        replicatedTo acknowledgement: ReplicaAcknowledgement
    ) async throws(RedisError) -> RESPValue {
        let command = RedisFunctionLibrary.command(function, keys: keys, arguments: arguments, readOnly: false)
        if let cluster {
            return try await clusterCall { () async throws(RedisError) in
                try await cluster.send(command, replicatedTo: acknowledgement) { node, error throws(RedisError) in
                    guard RedisFunctionLibrary.isFunctionNotFound(error) else { return false }
                    try await library.load(on: node, of: cluster)
                    return true
                }
            }
        }
        do {
            return try await send(command, replicatedTo: acknowledgement)
        } catch  where RedisFunctionLibrary.isFunctionNotFound(error) {
            try await library.load(on: self)
            return try await send(command, replicatedTo: acknowledgement)
        }
    }

    /// One node: `command` then `WAIT` in one write on a dedicated connection (a `WAIT` holds its
    /// connection until the replicas answer; the shared connections must not wait behind it).
    private func send(_ command: [RedisArgument], replicatedTo acknowledgement: ReplicaAcknowledgement) async throws(RedisError)
        -> RESPValue
    {
        let timeout = acknowledgement.timeout + configuration.commandTimeout
        return try await retryingTransientServerErrors { () async throws(RedisError) -> RESPValue in
            try await withDedicatedConnection { connection throws(RedisError) in
                let replies = try await connection.pipeline([command, acknowledgement.waitCommand], timeout: timeout)
                if let message = replies[0].errorMessage { throw RedisError(.serverError, message) }
                try acknowledgement.check(replies[1])
                return replies[0]
            }
        }
    }
}
