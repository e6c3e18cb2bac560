/// A library of Redis Functions (Redis 7+): Lua loaded once with `FUNCTION LOAD`, kept by the
/// server across restarts (in its RDB/AOF) and replicated, called with `FCALL name`.
///
/// The library's ``name`` should carry a version (`orchestra_3`) and its functions that version
/// as a prefix (`orchestra_3_claim`), so processes of two releases can share one Redis during a
/// rolling upgrade: each calls the functions of its own library.
public final class RedisFunctionLibrary: Sendable {
    /// The library name, as in the source's `#!lua name=` line.
    public let name: String
    /// The complete source, shebang line included.
    public let source: String

    /// A library from its Lua body; the `#!lua name=<name>` line is prepended.
    public init(name: String, body: String) {
        self.name = name
        self.source = "#!lua name=\(name)\n" + body
    }

    /// `FUNCTION LOAD REPLACE`: on every master in cluster mode.
    func load(on client: RedisClient) async throws(RedisError) {
        try check(try await client.send(loadCommand))
    }

    /// `FUNCTION LOAD REPLACE` on one node of a cluster (the one that did not know a function).
    func load(on node: RedisNodePool, of cluster: RedisClusterRouter) async throws(RedisError) {
        try check(try await cluster.send(loadCommand, to: node))
    }

    private var loadCommand: [RedisArgument] { ["FUNCTION", "LOAD", "REPLACE", RedisArgument(source)] }

    private func check(_ reply: RESPValue) throws(RedisError) {
        guard reply.string == name else {
            throw RedisError(.unexpectedReply, "FUNCTION LOAD of \(name) returned \(reply)")
        }
    }

    static func isFunctionNotFound(_ error: RedisError) -> Bool {
        error.message.hasPrefix("ERR Function not found")
    }

    /// `FCALL` (or `FCALL_RO`) of `function` with its keys and arguments.
    static func command(_ function: String, keys: [RedisArgument], arguments: [RedisArgument], readOnly: Bool) -> [RedisArgument] {
        var command: [RedisArgument] = [readOnly ? "FCALL_RO" : "FCALL", RedisArgument(function), RedisArgument(keys.count)]
        command.reserveCapacity(3 + keys.count + arguments.count)
        command += keys
        command += arguments
        return command
    }
}

extension RedisClient {
    /// Calls `function` of `library` with `FCALL` (or `FCALL_RO` for a read-only function),
    /// loading the library when the server does not know the function (a new Redis, a
    /// `FUNCTION FLUSH`, a first deployment). Every key the function touches must be in `keys`.
    ///
    /// On a cluster the call goes to the master of its keys' slot, and the library is loaded on
    /// that node only when it does not know the function.
    @discardableResult
    public func call(
        _ library: RedisFunctionLibrary,
        _ function: String,
        keys: [RedisArgument],
        arguments: [RedisArgument] = [],
        readOnly: Bool = false
    ) async throws(RedisError) -> RESPValue {
        let command = RedisFunctionLibrary.command(function, keys: keys, arguments: arguments, readOnly: readOnly)
        if let cluster {
            return try await clusterCall { () async throws(RedisError) in
                try await cluster.send(command) { node, error throws(RedisError) in
                    guard RedisFunctionLibrary.isFunctionNotFound(error) else { return false }
                    try await library.load(on: node, of: cluster)
                    return true
                }
            }
        }
        do {
            return try await send(command)
        } catch  where RedisFunctionLibrary.isFunctionNotFound(error) {
            try await library.load(on: self)
            return try await send(command)
        }
    }

    /// Loads `library` now (processes do it at start, so the first call is not slower); on every
    /// master in cluster mode.
    public func load(_ library: RedisFunctionLibrary) async throws(RedisError) {
        try await library.load(on: self)
    }
}
