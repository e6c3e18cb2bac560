import Synchronization

/// A Lua script run with `EVALSHA`: loaded once with `SCRIPT LOAD`, loaded again when the server
/// answers `NOSCRIPT` (after a restart or `SCRIPT FLUSH`). Declare scripts once, as `static let`s.
public final class RedisScript: Sendable {
    /// The script's Lua source.
    public let source: String
    /// A short name for logs and errors.
    public let name: String
    private let sha = Mutex<String?>(nil)

    /// A script from its Lua source.
    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    /// The script's SHA1 as the server reported it, once loaded.
    public var loadedSHA: String? { sha.withLock { $0 } }

    func load(on client: RedisClient) async throws(RedisError) -> String {
        let reply = try await client.send("SCRIPT", "LOAD", RedisArgument(source))
        guard let digest = reply.string else {
            throw RedisError(.protocolError, "SCRIPT LOAD of \(name) returned \(reply)")
        }
        sha.withLock { $0 = digest }
        return digest
    }

    /// `SCRIPT LOAD` on one node of a cluster (the one that answered `NOSCRIPT`).
    func load(on node: RedisNodePool, of cluster: RedisClusterRouter) async throws(RedisError) {
        let reply = try await cluster.send(["SCRIPT", "LOAD", RedisArgument(source)], to: node)
        guard reply.string != nil else { throw RedisError(.protocolError, "SCRIPT LOAD of \(name) returned \(reply)") }
    }
}

extension RedisClient {
    /// Runs `script` with `EVALSHA`, loading it first if needed and again on `NOSCRIPT`.
    /// Every key the script touches must be passed in `keys` (Redis Cluster needs them).
    /// On a cluster `SCRIPT LOAD` goes to every master, and again to a node answering `NOSCRIPT`.
    @discardableResult
    public func run(_ script: RedisScript, keys: [RedisArgument], arguments: [RedisArgument] = []) async throws(RedisError) -> RESPValue {
        var digest: String
        if let loaded = script.loadedSHA { digest = loaded } else { digest = try await script.load(on: self) }
        let command: (String) -> [RedisArgument] = { sha in
            ["EVALSHA", RedisArgument(sha), RedisArgument(keys.count)] + keys + arguments
        }
        if let cluster {
            return try await clusterCall { () async throws(RedisError) in
                try await cluster.send(command(digest)) { node, error throws(RedisError) in
                    guard error.serverErrorPrefix == "NOSCRIPT" else { return false }
                    try await script.load(on: node, of: cluster)
                    return true
                }
            }
        }
        do {
            return try await send(command(digest))
        } catch  where error.serverErrorPrefix == "NOSCRIPT" {
            digest = try await script.load(on: self)
            return try await send(command(digest))
        }
    }
}
