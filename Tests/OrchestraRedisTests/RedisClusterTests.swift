import Foundation
import NIOCore
import OrchestraTestSupport
import Synchronization
import Testing

@testable import OrchestraRedis

/// One cluster for the tests that do not change its layout (they run in parallel).
let sharedCluster = TestRedisCluster.Shared()

/// The masters of a cluster and the slot ranges each serves.
struct MasterMap {
    let masters: [(node: RedisClusterProcess.Node, slots: [ClosedRange<Int>])]

    init(_ cluster: RedisClusterProcess) async throws {
        var masters: [(node: RedisClusterProcess.Node, slots: [ClosedRange<Int>])] = []
        for node in try await cluster.masters() { masters.append((node, try await cluster.slots(of: node))) }
        self.masters = masters.sorted { $0.node.port < $1.node.port }
    }

    func owner(of key: String) -> RedisClusterProcess.Node? {
        let slot = Int(HashSlot(key: key).rawValue)
        return masters.first { $0.slots.contains { $0.contains(slot) } }?.node
    }

    /// How many `MOVED` and `ASK` replies the masters have sent (`INFO errorstats`).
    func redirectionsAnswered() async throws -> Int {
        var total = 0
        for master in masters {
            let direct = try TestRedisCluster.nodeClient(master.node)
            defer { direct.shutdown() }
            let stats = try await direct.send("INFO", "errorstats").decodeString()
            for line in stats.split(whereSeparator: \.isNewline)
            where line.hasPrefix("errorstat_MOVED:") || line.hasPrefix("errorstat_ASK:") {
                total += Int(line.split(separator: "=").last ?? "") ?? 0
            }
        }
        return total
    }

    /// One key (or channel) name per master: `prefix` followed by a number.
    func onePerMaster(_ prefix: String) -> [String] {
        masters.map { master in
            (0...).lazy.map { "\(prefix)\($0)" }.first { owner(of: $0) == master.node }!
        }
    }
}

/// Runs `body`, failing with a timeout after `limit` (a bound, not a synchronisation).
func within<Value: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
    try await withThrowingTaskGroup(of: Value?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TestSupportError("timed out after \(limit)") }
        return value
    }
}

@Suite("RedisClient on a Redis Cluster", .timeLimit(.minutes(5)))
struct RedisClusterTests {
    @Test func aThousandKeysAreSetAndReadAcrossEveryMaster() async throws {
        let cluster = try await sharedCluster.get()
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let prefix = TestRedis.uniquePrefix("cluster-keys")
        let keys = (0..<1000).map { "\(prefix)\($0)" }
        let map = try await MasterMap(cluster)
        let redirectionsBefore = try await map.redirectionsAnswered()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chunk in stride(from: 0, to: keys.count, by: 100) {
                group.addTask { () async throws -> Void in
                    for key in keys[chunk..<chunk + 100] {
                        let reply = try await client.send("SET", RedisArgument(key), RedisArgument(key + "=v"))
                        #expect(reply == .simpleString("OK"))
                    }
                }
            }
            try await group.waitForAll()
        }
        for key in keys { #expect(try await client.send("GET", RedisArgument(key)).string == key + "=v") }
        // Every command went straight to its slot's master (the nodes answered no MOVED or ASK)…
        #expect(try await map.redirectionsAnswered() == redirectionsBefore)
        // …each key is on the master owning its slot, and every master holds a share.
        #expect(map.masters.count == 3)
        for master in map.masters {
            let owned = keys.filter { map.owner(of: $0) == master.node }
            #expect(owned.count > 200)
            let direct = try TestRedisCluster.nodeClient(master.node)
            defer { direct.shutdown() }
            for key in owned.prefix(20) { #expect(try await direct.send("GET", RedisArgument(key)).string == key + "=v") }
        }
        #expect(try await client.send("PING") == .simpleString("PONG"))
        #expect(try await client.send("TIME").array?.count == 2)
        #expect(client.isConnected)
    }

    @Test func aPipelineSpanningThreeMastersKeepsTheCallersOrder() async throws {
        let cluster = try await sharedCluster.get()
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let map = try await MasterMap(cluster)
        let keys = map.onePerMaster(TestRedis.uniquePrefix("cluster-pipeline"))
        var commands: [[RedisArgument]] = []
        for round in 0..<20 {
            for key in keys { commands.append(["INCRBY", RedisArgument(key), RedisArgument(round)]) }
            commands.append(["ECHO", RedisArgument("round \(round)")])
        }
        let replies = try await client.pipeline(commands)
        #expect(replies.count == commands.count)
        var position = 0
        var totals = [0, 0, 0]
        for round in 0..<20 {
            for index in 0..<3 {
                totals[index] += round
                #expect(replies[position] == .integer(Int64(totals[index])))
                position += 1
            }
            #expect(replies[position].string == "round \(round)")
            position += 1
        }
        // An error reply stays in its place; `pipeline` throws it, with its position.
        try await client.send("SET", RedisArgument(keys[1]), "text")
        let mixed: [[RedisArgument]] = [
            ["GET", RedisArgument(keys[0])], ["INCR", RedisArgument(keys[1])], ["GET", RedisArgument(keys[2])],
        ]
        let allowing = try await client.pipelineAllowingErrors(mixed)
        #expect(allowing[0].string == "190")
        #expect(allowing[1].errorMessage?.hasPrefix("ERR value is not an integer") == true)
        #expect(allowing[2].string == "190")
        do {
            let values = try await client.pipeline(mixed)
            Issue.record("a pipeline with an error reply returned \(values)")
        } catch {
            #expect(error.code == .serverError)
            #expect(error.message.contains("command 2 of 3"))
        }
        // Commands for every master cannot be split into one node's part.
        await #expect(throws: RedisError.self) { try await client.pipeline([["SCRIPT", "LOAD", "return 1"]]) }
    }

    @Test func aCrossSlotCommandIsRefusedWithoutBeingSent() async throws {
        let cluster = try await sharedCluster.get()
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let map = try await MasterMap(cluster)
        let keys = map.onePerMaster(TestRedis.uniquePrefix("cross"))
        do {
            _ = try await client.pipeline([
                ["SET", RedisArgument(keys[0]), "1"], ["MSET", RedisArgument(keys[1]), "1", RedisArgument(keys[2]), "2"],
            ])
            Issue.record("a cross-slot MSET was sent")
        } catch {
            #expect(error.code == .crossSlot)
        }
        // Nothing of that pipeline went out, not even its valid first command.
        #expect(try await client.send("EXISTS", RedisArgument(keys[0])) == .integer(0))
        do {
            try await client.send("RENAME", RedisArgument(keys[0]), RedisArgument(keys[1]))
            Issue.record("a cross-slot RENAME was sent")
        } catch {
            #expect(error.code == .crossSlot)
            #expect(error.serverErrorPrefix == nil)
        }
        // One hash tag puts keys in one slot: the same commands work.
        let tag = "{\(keys[0])}"
        #expect(try await client.send("MSET", RedisArgument(tag + "a"), "1", RedisArgument(tag + "b"), "2") == .simpleString("OK"))
        #expect(
            try await client.send("MGET", RedisArgument(tag + "a"), RedisArgument(tag + "b")).array?.compactMap(\.string) == ["1", "2"])
        // A dedicated connection needs a routing key.
        do {
            _ = try await client.withDedicatedConnection { connection throws(RedisError) in try await connection.send(["PING"]) }
            Issue.record("a dedicated connection without a routing key was lent")
        } catch {
            #expect(error.code == .notRoutable)
        }
        let replies = try await client.withDedicatedConnection(routingKey: RedisArgument(tag)) { connection throws(RedisError) in
            try await connection.pipeline([["MULTI"], ["INCR", RedisArgument(tag + "a")], ["INCR", RedisArgument(tag + "b")], ["EXEC"]])
        }
        #expect(replies.last == .array([.integer(2), .integer(3)]))
    }

    @Test func functionsAreLoadedOnEveryMasterAndReloadedWhereMissing() async throws {
        let cluster = try await sharedCluster.get()
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let name = "clustertest_\(UUID().uuidString.prefix(8).lowercased())"
        let library = RedisFunctionLibrary(
            name: name,
            body: "redis.register_function('\(name)_set', function(keys, args) return redis.call('SET', keys[1], args[1]) end)")
        try await client.load(library)
        let map = try await MasterMap(cluster)
        for master in map.masters {
            let direct = try TestRedisCluster.nodeClient(master.node)
            defer { direct.shutdown() }
            let listed = try await direct.send("FUNCTION", "LIST", "LIBRARYNAME", RedisArgument(name))
            #expect(listed.array?.count == 1, "library missing on \(master.node.address)")
        }
        let keys = map.onePerMaster(TestRedis.uniquePrefix("fcall"))
        for key in keys {
            #expect(
                try await client.call(library, "\(name)_set", keys: [RedisArgument(key)], arguments: ["set by fcall"])
                    == .simpleString("OK"))
            #expect(try await client.send("GET", RedisArgument(key)).string == "set by fcall")
        }
        // One master forgets the library: a call there loads it there again.
        let forgetful = try #require(map.owner(of: keys[1]))
        let direct = try TestRedisCluster.nodeClient(forgetful)
        defer { direct.shutdown() }
        try await direct.send("FUNCTION", "DELETE", RedisArgument(name))
        #expect(try await direct.send("FUNCTION", "LIST", "LIBRARYNAME", RedisArgument(name)).array?.count == 0)
        #expect(try await client.call(library, "\(name)_set", keys: [RedisArgument(keys[1])], arguments: ["again"]) == .simpleString("OK"))
        #expect(try await direct.send("GET", RedisArgument(keys[1])).string == "again")
        #expect(try await direct.send("FUNCTION", "LIST", "LIBRARYNAME", RedisArgument(name)).array?.count == 1)
        // Scripts too: SCRIPT LOAD on every master, NOSCRIPT reloads where it is missing.
        let script = RedisScript(name: "get", source: "return redis.call('GET', KEYS[1]) -- \(name)")
        for key in keys { #expect(try await client.run(script, keys: [RedisArgument(key)]).string != nil) }
        try await direct.send("SCRIPT", "FLUSH")
        #expect(try await client.run(script, keys: [RedisArgument(keys[1])]).string == "again")
        try await client.send("FUNCTION", "DELETE", RedisArgument(name))
    }

    @Test func aBlockingMoveRunsOnTheNodeOfItsHashTag() async throws {
        let cluster = try await sharedCluster.get()
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let tag = "{\(TestRedis.uniquePrefix("blmove"))}"
        let source = RedisArgument(tag + "source")
        let destination = RedisArgument(tag + "destination")
        let moved = Task { try await client.blockingSend(["BLMOVE", source, destination, "LEFT", "RIGHT", "10"], blockFor: .seconds(10)) }
        // Other commands are not held up by the blocked connection.
        for index in 0..<50 { #expect(try await client.send("ECHO", RedisArgument(index)).int == index) }
        try await client.send("RPUSH", source, "job")
        #expect(try await moved.value.string == "job")
        #expect(try await client.send("LRANGE", destination, 0, -1).array?.compactMap(\.string) == ["job"])
        // An empty list times out as on one node.
        #expect(
            try await client.blockingSend(["BLMOVE", source, destination, "LEFT", "RIGHT", "0.1"], blockFor: .milliseconds(100)) == .null)
        do {
            _ = try await client.blockingSend(["BLMOVE", "no-tag-a", "no-tag-b", "LEFT", "RIGHT", "1"], blockFor: .seconds(1))
            Issue.record("a cross-slot BLMOVE was sent")
        } catch {
            #expect(error.code == .crossSlot)
        }
    }

    @Test func aPlainSubscriptionHearsPublishesFromEveryNode() async throws {
        let cluster = try await sharedCluster.get()
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let channel = TestRedis.uniquePrefix("broadcast")
        let subscription = try await client.subscribe(to: [channel])
        defer { subscription.unsubscribe() }
        final class Received: Sendable { let text = Mutex<String?>(nil) }
        let received = Received()
        let receiver = Task {
            for try await message in subscription {
                received.text.withLock { $0 = message.text }
                return
            }
        }
        defer { receiver.cancel() }
        // PUBLISH reaches the subscribers of every node, whichever master takes it; repeat until
        // the (asynchronous) SUBSCRIBE is registered.
        let map = try await MasterMap(cluster)
        var published = 0
        try await eventually(within: .seconds(5)) {
            let node = try TestRedisCluster.nodeClient(map.masters[published % map.masters.count].node)
            defer { node.shutdown() }
            published += 1
            try await node.send("PUBLISH", RedisArgument(channel), "news")
            return received.text.withLock { $0 } == "news"
        }
        #expect(received.text.withLock { $0 } == "news")
    }

    @Test func aShardedSubscriptionHearsChannelsOnThreeMasters() async throws {
        let cluster = try await sharedCluster.get()
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let channels = try await MasterMap(cluster).onePerMaster(TestRedis.uniquePrefix("shard-channel"))
        let subscription = try await client.subscribe(to: channels, sharded: true)
        defer { subscription.unsubscribe() }
        for channel in channels {
            // SSUBSCRIBE is asynchronous: publish until that shard counts the subscriber.
            try await eventually(within: .seconds(5)) {
                try await client.send("SPUBLISH", RedisArgument(channel), RedisArgument("hello " + channel)).int == 1
            }
        }
        let received = try await within(.seconds(5)) {
            var seen: [String: String] = [:]
            for try await message in subscription {
                seen[message.channel] = message.text
                if seen.count == 3 { break }
            }
            return seen
        }
        #expect(received == Dictionary(uniqueKeysWithValues: channels.map { ($0, "hello " + $0) }))
    }
}
