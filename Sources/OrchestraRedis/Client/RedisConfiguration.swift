/// How to reach Redis and how long to wait for it. A default for every field.
public struct RedisConfiguration: Sendable {
    /// Host name or IP address. Default `127.0.0.1`.
    public var host: String = "127.0.0.1"
    /// TCP port. Default 6379.
    public var port: Int = 6379
    /// ACL user name for `AUTH user password` (Redis 6+); `nil` uses `AUTH password`.
    public var username: String?
    /// Password for `AUTH`; never printed.
    public var password: String?
    /// Database index sent with `SELECT` when not 0.
    public var database: Int = 0
    /// How long to wait for a TCP connection and its `AUTH`/`SELECT` handshake.
    public var connectTimeout: Duration = .seconds(3)
    /// How long a command may wait for its reply (blocking commands add their own block time).
    public var commandTimeout: Duration = .seconds(5)
    /// Connections shared (pipelined) by all ordinary commands.
    public var multiplexedConnections: Int = 2
    /// Idle dedicated connections (for blocking commands) kept open for reuse.
    public var maximumIdleDedicatedConnections: Int = 16
    /// First delay before reconnecting after a failed connect; doubles up to ``maximumReconnectDelay``.
    public var initialReconnectDelay: Duration = .milliseconds(20)
    /// Upper bound of the reconnect backoff.
    public var maximumReconnectDelay: Duration = .seconds(1)
    /// How long a command the server refused for now (`LOADING`, `BUSY`, `MASTERDOWN`,
    /// `TRYAGAIN`, `CLUSTERDOWN`) is retried before the error is thrown. Default 500 ms.
    public var transientErrorRetryTime: Duration = .milliseconds(500)
    /// Name set with `CLIENT SETNAME` so operators can tell connections apart; `nil` sets none.
    public var clientName: String?

    /// Redis Cluster seed nodes (`REDIS_CLUSTER_NODES`). Empty (the default): one Redis at
    /// ``host``:``port``. Not empty: cluster mode; the client learns the topology from any
    /// seed that answers, and ``host``/``port`` are not used. The credentials and timeouts
    /// above apply to every node; ``database`` must be 0.
    public var clusterNodes: [RedisNodeAddress] = []
    /// Cluster mode: how often the slot map is read again from the cluster (it is also read
    /// again after a `MOVED` redirection or a failed connection). Default 30 s.
    public var clusterRefreshInterval: Duration = .seconds(30)
    /// Cluster mode: how many `MOVED`/`ASK` redirections one command may follow before it fails
    /// with ``RedisError/Code/tooManyRedirections``. Default 5.
    public var maximumRedirections: Int = 5

    /// Whether the client runs in cluster mode (``clusterNodes`` is not empty).
    public var isClusterMode: Bool { !clusterNodes.isEmpty }

    /// The defaults: `redis://127.0.0.1:6379/0`.
    public init() {}

    /// Parses `redis://[[user]:password@]host[:port][/db]`.
    ///
    /// Errors name the part that is wrong but never echo the URL, which may hold a password.
    public init(url: String) throws(RedisError) {
        self.init()
        guard url.hasPrefix("redis://") else {
            throw RedisError(.invalidConfiguration, "REDIS_URL must start with redis://")
        }
        var rest = Substring(url.dropFirst("redis://".count))
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let database = Int(path), database >= 0 else {
                    throw RedisError(.invalidConfiguration, "REDIS_URL database must be a non-negative integer")
                }
                self.database = database
            }
        }
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = credentials[..<colon]
                self.username = user.isEmpty ? nil : Self.percentDecoded(user)
                self.password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
            } else if !credentials.isEmpty {
                self.password = Self.percentDecoded(credentials)
            }
        }
        var hostPart = rest  // reassigned below
        if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {  // [IPv6]:port
            let address = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
            let after = hostPart[hostPart.index(after: close)...]
            hostPart = after
            self.host = String(address)
            if after.hasPrefix(":") { try setPort(after.dropFirst()) }
            hostPart = Substring(host)
        } else if let colon = hostPart.lastIndex(of: ":") {
            self.host = String(hostPart[..<colon])
            try setPort(hostPart[hostPart.index(after: colon)...])
        } else {
            self.host = String(hostPart)
        }
        if host.isEmpty { throw RedisError(.invalidConfiguration, "REDIS_URL has an empty host") }
    }

    /// Parses `REDIS_URL` as ``init(url:)`` does, and `REDIS_CLUSTER_NODES`
    /// (`host:port,host:port,…`): when that holds at least one node the configuration is in
    /// cluster mode, with the user and password of `url` (whose host and port are then unused).
    ///
    /// - Throws: ``RedisError/Code/invalidConfiguration`` for a malformed list, or a database
    ///   other than 0 in cluster mode (Redis Cluster has only database 0).
    public init(url: String?, clusterNodes: String?) throws(RedisError) {
        if let url, !url.isEmpty { try self.init(url: url) } else { self.init() }
        let entries = (clusterNodes ?? "").split(separator: ",").map(\.trimmingSpaces).filter { !$0.isEmpty }
        var nodes: [RedisNodeAddress] = []
        for entry in entries { nodes.append(try RedisNodeAddress(parsing: entry)) }
        self.clusterNodes = nodes
        try validateClusterMode()
    }

    /// Reads `REDIS_URL` and `REDIS_CLUSTER_NODES` from `environment` (see ``init(url:clusterNodes:)``).
    public init(environment: [String: String]) throws(RedisError) {
        try self.init(url: environment["REDIS_URL"], clusterNodes: environment["REDIS_CLUSTER_NODES"])
    }

    /// Throws when the settings cannot work in cluster mode (a database other than 0).
    public func validateClusterMode() throws(RedisError) {
        guard isClusterMode else { return }
        if database != 0 {
            throw RedisError(.invalidConfiguration, "Redis Cluster has only database 0: REDIS_URL must not select database \(database)")
        }
    }

    /// This configuration aimed at one node of a cluster (no cluster nodes: a node client).
    func forNode(_ address: RedisNodeAddress) -> RedisConfiguration {
        var node = self
        node.host = address.host
        node.port = address.port
        node.clusterNodes = []
        return node
    }

    private mutating func setPort(_ text: Substring) throws(RedisError) {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw RedisError(.invalidConfiguration, "REDIS_URL port must be 1-65535")
        }
        self.port = port
    }

    private static func percentDecoded(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `host:port/db`, or `cluster(host:port,…)` in cluster mode; without credentials: safe for logs.
    public var endpointDescription: String {
        if isClusterMode { return "cluster(" + clusterNodes.map(\.description).joined(separator: ",") + ")" }
        return "\(host):\(port)/\(database)"
    }
}

extension RedisConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `RedisConfiguration(host:port/db, user set, password set)`: never the password.
    public var description: String {
        let user = username == nil ? "" : ", user set"
        let password = password == nil ? "" : ", password set"
        return "RedisConfiguration(\(endpointDescription)\(user)\(password))"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// What `dump` and string interpolation of reflected values show: no password.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "endpoint": endpointDescription, "username": username as Any, "password": password == nil ? "unset" : "[redacted]",
                "connectTimeout": connectTimeout, "commandTimeout": commandTimeout,
            ])
    }
}
