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

    func load(on client: RedisClient) async throws(RedisError) {
        let reply = try await client.send("FUNCTION", "LOAD", "REPLACE", RedisArgument(source))
        guard reply.string == name else {
            throw RedisError(.unexpectedReply, "FUNCTION LOAD of \(name) returned \(reply)")
        }
    }
}

extension RedisClient {
    /// Calls `function` of `library` with `FCALL` (or `FCALL_RO` for a read-only function),
    /// loading the library when the server does not know the function (a new Redis, a
    /// `FUNCTION FLUSH`, a first deployment). Every key the function touches must be in `keys`.
    @discardableResult
    public func call(
        _ library: RedisFunctionLibrary,
        _ function: String,
        keys: [RedisArgument],
        arguments: [RedisArgument] = [],
        readOnly: Bool = false
    ) async throws(RedisError) -> RESPValue {
        var command: [RedisArgument] = [readOnly ? "FCALL_RO" : "FCALL", RedisArgument(function), RedisArgument(keys.count)]
        command.reserveCapacity(3 + keys.count + arguments.count)
        command += keys
        command += arguments
        do {
            return try await send(command)
        } catch  where error.message.hasPrefix("ERR Function not found") {
            try await library.load(on: self)
            return try await send(command)
        }
    }

    /// Loads `library` now (processes do it at start, so the first call is not slower).
    public func load(_ library: RedisFunctionLibrary) async throws(RedisError) {
        try await library.load(on: self)
    }
}
