import NIOCore

/// Where a command goes on Redis Cluster, from a static table of key positions.
///
/// A table rather than `COMMAND INFO` key specs: it needs no round trip (nor a reachable node)
/// before the first command, it is the same on Redis 7.0, 7.2+ and Valkey, and it is unit
/// tested. A command the table does not know goes to any master; if it has keys, that node's
/// `MOVED` reply sends it on to the owner (one extra round trip, still correct).
enum ClusterRoute: Equatable {
    /// No key: any node answers (`PING`, `TIME`, `INFO`, `CLUSTER …`, `PUBLISH`, unknown commands).
    case anyNode
    /// The master owning this slot.
    case slot(HashSlot)
    /// Every master (`FUNCTION LOAD`, `SCRIPT LOAD`, flushes): the first reply is returned.
    case allMasters

    /// The route of `command`, or ``RedisError/Code/crossSlot`` when its keys hash to several slots.
    init(_ command: [RedisArgument]) throws(RedisError) {
        guard let first = command.first else {
            self = .anyNode
            return
        }
        let name = first.upperCasedName
        var slot: HashSlot?
        for index in ClusterCommandKeys.positions(of: name, in: command) {
            let keySlot = HashSlot(key: command[index])
            if let slot, slot != keySlot {
                throw RedisError(
                    .crossSlot, "the keys of \(name) hash to different slots (\(slot) and \(keySlot)); give them one {hash tag}")
            }
            slot = keySlot
        }
        if let slot {
            self = .slot(slot)
        } else if ClusterCommandKeys.isForAllMasters(name, command) {
            self = .allMasters
        } else {
            self = .anyNode
        }
    }
}

enum ClusterCommandKeys {
    /// How a command's keys are laid out among its arguments (argument 0 is the name).
    enum Layout {
        /// The argument at this index (when present).
        case at(Int)
        /// Arguments 1 and 2 (`LMOVE`, `RENAME`, `SMOVE`, …).
        case firstTwo
        /// Every argument from this index on.
        case all(from: Int)
        /// Every argument from 1 but the last (`BLPOP key… timeout`).
        case allButLast
        /// Every other argument from 1 (`MSET key value …`).
        case everyOther
        /// A count at `countAt` and that many keys after it (`EVALSHA sha numkeys key…`).
        case counted(countAt: Int)
        /// Argument 1, plus a count at 2 and that many keys after it (`ZUNIONSTORE dest numkeys key…`).
        case destinationAndCounted
        /// After the `STREAMS` keyword, the first half of the remaining arguments (`XREAD`).
        case streams
        /// The argument after a subcommand (`XINFO STREAM key`, `OBJECT ENCODING key`).
        case afterSubcommand
    }

    /// Indices of the key arguments of `command` (named `name`, upper case).
    static func positions(of name: String, in command: [RedisArgument]) -> [Int] {
        guard let layout = table[name] else { return [] }
        let count = command.count
        switch layout {
        case .at(let index):
            return index < count ? [index] : []
        case .firstTwo:
            return Array(1..<min(3, count))
        case .all(let from):
            return from < count ? Array(from..<count) : []
        case .allButLast:
            return count > 2 ? Array(1..<(count - 1)) : []
        case .everyOther:
            return Array(stride(from: 1, to: count, by: 2))
        case .counted(let countAt):
            return counted(command, countAt: countAt)
        case .destinationAndCounted:
            return (count > 1 ? [1] : []) + counted(command, countAt: 2)
        case .streams:
            guard let keyword = command.firstIndex(where: { $0.upperCasedName == "STREAMS" }) else { return [] }
            let rest = count - keyword - 1
            return rest >= 2 ? Array((keyword + 1)...(keyword + rest / 2)) : []
        case .afterSubcommand:
            return count > 2 ? [2] : []
        }
    }

    private static func counted(_ command: [RedisArgument], countAt: Int) -> [Int] {
        guard countAt < command.count, let keys = Int(command[countAt].upperCasedName), keys > 0 else { return [] }
        let first = countAt + 1
        return Array(first..<min(first + keys, command.count))
    }

    /// Commands that change every master's scripts, functions or data.
    static func isForAllMasters(_ name: String, _ command: [RedisArgument]) -> Bool {
        switch name {
        case "FLUSHALL", "FLUSHDB": return true
        case "SCRIPT", "FUNCTION":
            guard command.count > 1 else { return false }
            let subcommand = command[1].upperCasedName
            return name == "SCRIPT"
                ? subcommand == "LOAD" || subcommand == "FLUSH"
                : ["LOAD", "DELETE", "FLUSH", "RESTORE"].contains(subcommand)
        default: return false
        }
    }

    static let table: [String: Layout] = {
        var table: [String: Layout] = [:]
        let singleKey = [
            // strings and generic
            "GET", "SET", "SETNX", "SETEX", "PSETEX", "GETSET", "GETDEL", "GETEX", "APPEND", "STRLEN", "INCR", "INCRBY",
            "INCRBYFLOAT", "DECR", "DECRBY", "GETRANGE", "SETRANGE", "SUBSTR", "GETBIT", "SETBIT", "BITCOUNT", "BITPOS",
            "BITFIELD", "BITFIELD_RO", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "EXPIRETIME", "PEXPIRETIME", "TTL",
            "PTTL", "PERSIST", "TYPE", "DUMP", "RESTORE", "SORT", "SORT_RO",
            // hashes
            "HSET", "HSETNX", "HGET", "HMSET", "HMGET", "HDEL", "HEXISTS", "HGETALL", "HINCRBY", "HINCRBYFLOAT", "HKEYS",
            "HVALS", "HLEN", "HSTRLEN", "HSCAN", "HRANDFIELD",
            // lists
            "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LLEN", "LRANGE", "LINDEX", "LSET", "LREM", "LTRIM",
            "LINSERT", "LPOS",
            // sets
            "SADD", "SREM", "SMEMBERS", "SISMEMBER", "SMISMEMBER", "SCARD", "SPOP", "SRANDMEMBER", "SSCAN",
            // sorted sets
            "ZADD", "ZREM", "ZSCORE", "ZMSCORE", "ZINCRBY", "ZCARD", "ZCOUNT", "ZRANGE", "ZRANGEBYSCORE",
            "ZREVRANGEBYSCORE", "ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZREVRANGE", "ZRANK", "ZREVRANK", "ZREMRANGEBYRANK",
            "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "ZLEXCOUNT", "ZPOPMIN", "ZPOPMAX", "ZSCAN", "ZRANDMEMBER",
            // streams
            "XADD", "XACK", "XCLAIM", "XAUTOCLAIM", "XDEL", "XLEN", "XRANGE", "XREVRANGE", "XTRIM", "XPENDING", "XSETID",
            // geo, hyperloglog
            "GEOADD", "GEODIST", "GEOHASH", "GEOPOS", "GEORADIUS", "GEORADIUSBYMEMBER", "GEORADIUS_RO",
            "GEORADIUSBYMEMBER_RO", "GEOSEARCH", "PFADD",
            // sharded pub/sub: the channel's slot
            "SPUBLISH",
        ]
        for name in singleKey { table[name] = .at(1) }
        for name in ["DEL", "UNLINK", "EXISTS", "TOUCH", "MGET", "WATCH", "SDIFF", "SINTER", "SUNION", "PFCOUNT", "PFMERGE"] {
            table[name] = .all(from: 1)
        }
        for name in ["SDIFFSTORE", "SINTERSTORE", "SUNIONSTORE", "SSUBSCRIBE", "SUNSUBSCRIBE"] { table[name] = .all(from: 1) }
        table["BITOP"] = .all(from: 2)
        for name in ["LMOVE", "BLMOVE", "RPOPLPUSH", "BRPOPLPUSH", "SMOVE", "RENAME", "RENAMENX", "COPY", "LCS"] {
            table[name] = .firstTwo
        }
        for name in ["GEOSEARCHSTORE", "ZRANGESTORE"] { table[name] = .firstTwo }
        for name in ["BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX"] { table[name] = .allButLast }
        for name in ["MSET", "MSETNX"] { table[name] = .everyOther }
        for name in ["EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO", "BLMPOP", "BZMPOP"] {
            table[name] = .counted(countAt: 2)
        }
        for name in ["LMPOP", "ZMPOP", "SINTERCARD", "ZDIFF", "ZINTER", "ZUNION", "ZINTERCARD"] {
            table[name] = .counted(countAt: 1)
        }
        for name in ["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"] { table[name] = .destinationAndCounted }
        for name in ["XREAD", "XREADGROUP"] { table[name] = .streams }
        for name in ["XINFO", "XGROUP", "OBJECT", "MEMORY"] { table[name] = .afterSubcommand }
        return table
    }()
}

extension RedisArgument {
    /// The argument as upper-case ASCII text (command names, keywords, small numbers).
    var upperCasedName: String {
        switch storage {
        case .string(let text): text.uppercased()
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self).uppercased()
        case .buffer(let buffer): String(buffer: buffer).uppercased()
        }
    }
}
