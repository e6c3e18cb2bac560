/// The address of one Redis server: a cluster seed, or a node of the cluster's topology.
public struct RedisNodeAddress: Sendable, Hashable, CustomStringConvertible {
    /// Host name or IP address (IPv6 without brackets).
    public var host: String
    /// TCP port.
    public var port: Int

    /// An address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` or `[IPv6]:port`; the port is required.
    public init(parsing text: some StringProtocol) throws(RedisError) {
        let text = Substring(text).trimmingSpaces
        let host: Substring
        let port: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            guard after.hasPrefix(":") else { throw Self.invalid }
            port = after.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        } else {
            throw Self.invalid
        }
        guard !host.isEmpty, !host.contains(":") || text.hasPrefix("[") else { throw Self.invalid }
        guard let number = Int(port), (1...65535).contains(number) else { throw Self.invalid }
        self.init(host: String(host), port: number)
    }

    private static var invalid: RedisError {
        RedisError(.invalidConfiguration, "REDIS_CLUSTER_NODES must list host:port pairs separated by commas, ports 1-65535")
    }

    /// `host:port` (`[host]:port` for IPv6).
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
