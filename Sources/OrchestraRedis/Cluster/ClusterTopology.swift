/// Which master serves which hash slots, and the replicas of each master, as one node of the
/// cluster reported it (`CLUSTER SHARDS`, or `CLUSTER SLOTS` before Redis 7).
struct ClusterTopology: Sendable, Equatable {
    /// A master, its replicas and the slot ranges it serves.
    struct Shard: Sendable, Equatable {
        var master: RedisNodeAddress
        var replicas: [RedisNodeAddress]
        var slots: [ClosedRange<Int>]
    }

    private(set) var shards: [Shard]
    /// For each slot, the index in ``shards`` of its master; -1 when no node serves it.
    private var owners: [Int16]

    init(shards: [Shard]) {
        self.shards = shards
        self.owners = [Int16](repeating: -1, count: HashSlot.count)
        for (index, shard) in shards.enumerated() {
            for range in shard.slots where range.lowerBound >= 0 && range.upperBound < HashSlot.count {
                for slot in range { owners[slot] = Int16(index) }
            }
        }
    }

    /// The masters, in the cluster's order.
    var masters: [RedisNodeAddress] { shards.map(\.master) }

    /// Every node: masters, then replicas.
    var allNodes: [RedisNodeAddress] { masters + shards.flatMap(\.replicas) }

    /// Whether every slot has a master.
    var coversAllSlots: Bool { !owners.contains(-1) }

    /// The master serving `slot`, if the map knows one.
    func master(for slot: HashSlot) -> RedisNodeAddress? {
        let owner = Int(owners[Int(slot.rawValue)])
        return owner >= 0 ? shards[owner].master : nil
    }

    /// Records that `address` now serves `slot` (after `MOVED`), until the next full read.
    mutating func assign(_ slot: HashSlot, to address: RedisNodeAddress) {
        let index: Int
        if let known = shards.firstIndex(where: { $0.master == address }) {
            index = known
        } else {
            index = shards.count
            shards.append(Shard(master: address, replicas: [], slots: []))
        }
        owners[Int(slot.rawValue)] = Int16(index)
    }
}

extension ClusterTopology {
    /// Parses a `CLUSTER SHARDS` reply (Redis 7+, Valkey): per shard, a map of `slots` (start and
    /// end pairs) and `nodes` (maps with `endpoint`, `ip`, `port`, `role`, `health`).
    init(shardsReply reply: RESPValue, answeredBy node: RedisNodeAddress) throws(RedisError) {
        var shards: [Shard] = []
        for shardValue in try reply.decodeArray() {
            let shard = try Self.map(shardValue)
            var slots: [ClosedRange<Int>] = []
            let bounds = try (shard["slots"] ?? .array([])).decodeArray()
            var position = 0
            while position + 1 < bounds.count {
                guard let start = bounds[position].int, let end = bounds[position + 1].int, start <= end else {
                    throw Self.malformed("CLUSTER SHARDS", "a slot range")
                }
                slots.append(start...end)
                position += 2
            }
            var master: (address: RedisNodeAddress, online: Bool)?
            var replicas: [RedisNodeAddress] = []
            for nodeValue in try (shard["nodes"] ?? .array([])).decodeArray() {
                let fields = try Self.map(nodeValue)
                guard let port = fields["port"]?.int, port > 0 else { continue }
                var host = fields["endpoint"]?.string ?? ""
                if host.isEmpty || host == "?" { host = fields["ip"]?.string ?? "" }
                if host.isEmpty || host == "?" { host = node.host }
                let address = RedisNodeAddress(host: host, port: port)
                let online = (fields["health"]?.string ?? "online") == "online"
                if fields["role"]?.string == "master" {
                    if master == nil || (online && master?.online == false) { master = (address, online) }
                } else if online {
                    replicas.append(address)
                }
            }
            guard let master else { continue }
            shards.append(Shard(master: master.address, replicas: replicas, slots: slots))
        }
        self.init(shards: shards)
    }

    /// Parses a `CLUSTER SLOTS` reply: entries of start, end, master `[host, port, id…]`, replicas.
    init(slotsReply reply: RESPValue, answeredBy node: RedisNodeAddress) throws(RedisError) {
        var shards: [Shard] = []
        for entryValue in try reply.decodeArray() {
            let entry = try entryValue.decodeArray()
            guard entry.count >= 3, let start = entry[0].int, let end = entry[1].int, start <= end else {
                throw Self.malformed("CLUSTER SLOTS", "a slot range")
            }
            var addresses: [RedisNodeAddress] = []
            for nodeValue in entry[2...] {
                let parts = try nodeValue.decodeArray()
                guard parts.count >= 2, let port = parts[1].int else { throw Self.malformed("CLUSTER SLOTS", "a node") }
                var host = parts[0].string ?? ""
                if host.isEmpty || host == "?" { host = node.host }
                addresses.append(RedisNodeAddress(host: host, port: port))
            }
            if let index = shards.firstIndex(where: { $0.master == addresses[0] }) {
                shards[index].slots.append(start...end)
            } else {
                shards.append(Shard(master: addresses[0], replicas: Array(addresses.dropFirst()), slots: [start...end]))
            }
        }
        self.init(shards: shards)
    }

    private static func map(_ value: RESPValue) throws(RedisError) -> [String: RESPValue] {
        let flat = try value.decodeArray()
        var result: [String: RESPValue] = [:]
        var position = 0
        while position + 1 < flat.count {
            if let key = flat[position].string { result[key] = flat[position + 1] }
            position += 2
        }
        return result
    }

    private static func malformed(_ command: String, _ part: String) -> RedisError {
        RedisError(.unexpectedReply, "\(command) reply has a malformed \(part)")
    }
}

/// A `MOVED` or `ASK` error reply: the slot is served (for good, or for this one command
/// during a migration) by another node.
struct ClusterRedirection: Sendable, Equatable {
    enum Kind: Sendable { case moved, ask }
    var kind: Kind
    var slot: HashSlot
    var address: RedisNodeAddress

    /// Parses `MOVED 3999 127.0.0.1:6381` / `ASK 3999 host:port`; an empty host (`:6381`) means
    /// the host of the node that answered.
    init?(errorMessage message: String, answeredBy node: RedisNodeAddress) {
        let kind: Kind
        if message.hasPrefix("MOVED ") {
            kind = .moved
        } else if message.hasPrefix("ASK ") {
            kind = .ask
        } else {
            return nil
        }
        let parts = message.split(separator: " ")
        guard parts.count >= 3, let number = Int(parts[1]), let slot = HashSlot(rawValue: number) else { return nil }
        // `host:port`, the host possibly an unbracketed IPv6 address: the port follows the last colon.
        let endpoint = parts[2]
        guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]) else { return nil }
        var host = String(endpoint[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.kind = kind
        self.slot = slot
        self.address = RedisNodeAddress(host: host.isEmpty ? node.host : host, port: port)
    }
}
