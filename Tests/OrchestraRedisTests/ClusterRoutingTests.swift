import NIOCore
import Testing

@testable import OrchestraRedis

@Suite("Redis Cluster routing without a server", .timeLimit(.minutes(5)))
struct ClusterRoutingTests {
    @Test func crc16AndHashSlotsFollowTheSpecification() {
        #expect(HashSlot.crc16(Array("123456789".utf8)) == 0x31C3)
        #expect(HashSlot(key: "123456789").rawValue == 0x31C3 % 16384)
        #expect(HashSlot(key: "{user1000}.following") == HashSlot(key: "{user1000}.followers"))
        #expect(HashSlot(key: "{user1000}.following") == HashSlot(key: "user1000"))
        // An empty tag hashes the whole key; only the first { and the first } after it count.
        #expect(HashSlot(key: "foo{}{bar}") == HashSlot(rawValue: Int(HashSlot.crc16(Array("foo{}{bar}".utf8)) % 16384)))
        #expect(HashSlot(key: "foo{{bar}}zap") == HashSlot(key: "{bar"))
        #expect(HashSlot(key: "foo{bar}{zap}") == HashSlot(key: "bar"))
        #expect(HashSlot(key: "foo{") != HashSlot(key: "foo"))
        // Known slots (as CLUSTER KEYSLOT reports them).
        #expect(HashSlot(key: "foo").rawValue == 12182)
        #expect(HashSlot(key: "bar").rawValue == 5061)
        #expect(HashSlot(key: "").rawValue == 0)
        // Binary keys, and the three argument storages agree.
        let bytes: [UInt8] = [0, 255, 13, 10, 123, 120, 125]
        #expect(HashSlot(key: RedisArgument(bytes: bytes)) == HashSlot(key: bytes))
        #expect(HashSlot(key: RedisArgument(buffer: ByteBuffer(bytes: bytes))) == HashSlot(key: [UInt8]([120])))
        #expect(HashSlot(key: RedisArgument("{x}y")) == HashSlot(key: "x"))
    }

    @Test func keysAreFoundWhereEachCommandKeepsThem() throws {
        func slot(_ command: [RedisArgument]) throws -> ClusterRoute { try ClusterRoute(command) }
        let a = HashSlot(key: "{t}")
        #expect(try slot(["GET", "{t}1"]) == .slot(a))
        #expect(try slot(["set", "{t}1", "v", "PX", "10"]) == .slot(a))
        #expect(try slot(["DEL", "{t}1", "{t}2", "{t}3"]) == .slot(a))
        #expect(try slot(["MSET", "{t}1", "x", "{t}2", "y"]) == .slot(a))
        #expect(try slot(["BLMOVE", "{t}src", "{t}dst", "LEFT", "RIGHT", "5"]) == .slot(a))
        #expect(try slot(["LMOVE", "{t}src", "{t}dst", "LEFT", "RIGHT"]) == .slot(a))
        #expect(try slot(["BZPOPMIN", "{t}z1", "{t}z2", "5"]) == .slot(a))
        #expect(try slot(["BLPOP", "{t}l", "0"]) == .slot(a))
        #expect(try slot(["BLMPOP", "5", "2", "{t}a", "{t}b", "LEFT", "COUNT", "2"]) == .slot(a))
        #expect(try slot(["FCALL", "f", "2", "{t}a", "{t}b", "other-slot-argument"]) == .slot(a))
        #expect(try slot(["FCALL_RO", "f", "1", "{t}a"]) == .slot(a))
        #expect(try slot(["EVALSHA", "abc", "1", "{t}a", "x"]) == .slot(a))
        #expect(try slot(["EVAL", "return 1", "0"]) == .anyNode)
        #expect(try slot(["XREAD", "COUNT", "10", "BLOCK", "5", "STREAMS", "{t}s1", "{t}s2", "0", "$"]) == .slot(a))
        #expect(try slot(["XREADGROUP", "GROUP", "g", "c", "STREAMS", "{t}s1", ">"]) == .slot(a))
        #expect(try slot(["ZUNIONSTORE", "{t}d", "2", "{t}a", "{t}b", "WEIGHTS", "1", "2"]) == .slot(a))
        #expect(try slot(["XINFO", "STREAM", "{t}s"]) == .slot(a))
        #expect(try slot(["SPUBLISH", "{t}channel", "message"]) == .slot(a))
        #expect(try slot(["PING"]) == .anyNode)
        #expect(try slot(["TIME"]) == .anyNode)
        #expect(try slot(["CLUSTER", "SHARDS"]) == .anyNode)
        #expect(try slot(["PUBLISH", "channel", "x"]) == .anyNode)
        #expect(try slot(["FUNCTION", "LOAD", "REPLACE", "#!lua name=x"]) == .allMasters)
        #expect(try slot(["SCRIPT", "LOAD", "return 1"]) == .allMasters)
        #expect(try slot(["FUNCTION", "LIST"]) == .anyNode)
        #expect(try slot(["NOTACOMMAND", "key"]) == .anyNode)
        for command: [RedisArgument] in [
            ["MSET", "a", "1", "b", "2"], ["BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"], ["DEL", "x", "y"],
            ["FCALL", "f", "2", "a", "b"], ["XREAD", "STREAMS", "s1", "s2", "0", "0"], ["ZUNIONSTORE", "d", "1", "a"],
        ] {
            #expect(throws: RedisError.self) { try ClusterRoute(command) }
            do {
                _ = try ClusterRoute(command)
            } catch {
                #expect(error.code == .crossSlot)
            }
        }
    }

    @Test func clusterConfigurationParsesAndRejectsDatabases() throws {
        let configuration = try RedisConfiguration(
            url: "redis://user:s3cret@ignored:1/0", clusterNodes: " 10.0.0.1:7000, redis-b:7001,[::1]:7002 ,")
        #expect(configuration.isClusterMode)
        #expect(
            configuration.clusterNodes == [
                RedisNodeAddress(host: "10.0.0.1", port: 7000), RedisNodeAddress(host: "redis-b", port: 7001),
                RedisNodeAddress(host: "::1", port: 7002),
            ])
        #expect(configuration.username == "user")
        #expect(configuration.password == "s3cret")
        #expect(!configuration.description.contains("s3cret"))
        #expect(configuration.endpointDescription == "cluster(10.0.0.1:7000,redis-b:7001,[::1]:7002)")
        #expect(configuration.forNode(RedisNodeAddress(host: "h", port: 9)).endpointDescription == "h:9/0")

        let single = try RedisConfiguration(url: "redis://127.0.0.1:6380/3", clusterNodes: "")
        #expect(!single.isClusterMode)
        #expect(single.database == 3)
        let environment = try RedisConfiguration(environment: ["REDIS_CLUSTER_NODES": "127.0.0.1:7000"])
        #expect(environment.clusterNodes == [RedisNodeAddress(host: "127.0.0.1", port: 7000)])

        for (url, nodes) in [("redis://:pw@h:1/2", "127.0.0.1:7000"), (nil, "host"), (nil, "host:0"), (nil, "a:1,:2"), (nil, "h:x")] {
            do {
                _ = try RedisConfiguration(url: url, clusterNodes: nodes)
                Issue.record("\(nodes) was accepted")
            } catch {
                #expect(error.code == .invalidConfiguration)
                #expect(!error.description.contains("pw"))
            }
        }
    }

    @Test func topologyIsReadFromClusterShardsAndClusterSlots() throws {
        func text(_ value: String) -> RESPValue { .bulkString(ByteBuffer(string: value)) }
        func int(_ value: Int) -> RESPValue { .integer(Int64(value)) }
        func node(_ port: Int, _ role: String, health: String = "online", endpoint: String = "127.0.0.1") -> RESPValue {
            .array([
                text("id"), text("x"), text("port"), int(port), text("ip"), text("127.0.0.1"), text("endpoint"), text(endpoint),
                text("role"), text(role), text("replication-offset"), int(0), text("health"), text(health),
            ])
        }
        func shard(_ start: Int, _ end: Int, _ nodes: [RESPValue]) -> RESPValue {
            .array([text("slots"), .array([int(start), int(end)]), text("nodes"), .array(nodes)])
        }
        let shards: RESPValue = .array([
            shard(0, 5460, [node(7000, "master"), node(7003, "replica")]),
            shard(5461, 10922, [node(7001, "master", health: "fail"), node(7004, "master", endpoint: "?")]),
            shard(10923, 16383, [node(7002, "master")]),
        ])
        let seed = RedisNodeAddress(host: "127.0.0.1", port: 7000)
        let topology = try ClusterTopology(shardsReply: shards, answeredBy: seed)
        #expect(topology.coversAllSlots)
        #expect(topology.masters.map(\.port) == [7000, 7004, 7002])
        #expect(topology.master(for: HashSlot(rawValue: 0)!)?.port == 7000)
        #expect(topology.master(for: HashSlot(rawValue: 5461)!)?.port == 7004)
        #expect(topology.master(for: HashSlot(rawValue: 16383)!)?.port == 7002)
        #expect(topology.shards[0].replicas.map(\.port) == [7003])

        let slots: RESPValue = .array([
            .array([
                int(0), int(99), .array([text("127.0.0.1"), int(7000), text("id0")]), .array([text("127.0.0.1"), int(7003), text("id3")]),
            ]),
            .array([int(100), int(16383), .array([text(""), int(7001), text("id1")])]),
        ])
        var fromSlots = try ClusterTopology(slotsReply: slots, answeredBy: RedisNodeAddress(host: "10.1.1.1", port: 7000))
        #expect(fromSlots.master(for: HashSlot(rawValue: 99)!) == RedisNodeAddress(host: "127.0.0.1", port: 7000))
        #expect(fromSlots.master(for: HashSlot(rawValue: 100)!) == RedisNodeAddress(host: "10.1.1.1", port: 7001))
        fromSlots.assign(HashSlot(rawValue: 5)!, to: RedisNodeAddress(host: "127.0.0.1", port: 7009))
        #expect(fromSlots.master(for: HashSlot(rawValue: 5)!)?.port == 7009)
        #expect(fromSlots.master(for: HashSlot(rawValue: 6)!)?.port == 7000)
    }

    @Test func redirectionsAreParsed() {
        let node = RedisNodeAddress(host: "10.0.0.9", port: 7000)
        let moved = ClusterRedirection(errorMessage: "MOVED 3999 127.0.0.1:6381", answeredBy: node)
        #expect(moved?.kind == .moved)
        #expect(moved?.slot.rawValue == 3999)
        #expect(moved?.address == RedisNodeAddress(host: "127.0.0.1", port: 6381))
        #expect(
            ClusterRedirection(errorMessage: "ASK 1 :6390", answeredBy: node)?.address == RedisNodeAddress(host: "10.0.0.9", port: 6390))
        #expect(ClusterRedirection(errorMessage: "ASK 1 :6390", answeredBy: node)?.kind == .ask)
        #expect(ClusterRedirection(errorMessage: "MOVED 2 ::1:6390", answeredBy: node)?.address.host == "::1")
        #expect(ClusterRedirection(errorMessage: "ERR MOVED 1 h:1", answeredBy: node) == nil)
        #expect(ClusterRedirection(errorMessage: "MOVED 99999 h:1", answeredBy: node) == nil)
    }

    @Test func aCrossSlotCommandIsRefusedWithoutAnyServer() async throws {
        // Seeds where nothing listens: a cross-slot command fails before any connection is tried.
        var configuration = try RedisConfiguration(url: nil, clusterNodes: "127.0.0.1:1")
        configuration.connectTimeout = .milliseconds(200)
        let client = RedisClient(configuration: configuration)
        defer { client.shutdown() }
        for command: [RedisArgument] in [["MSET", "a", "1", "b", "2"], ["BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"]] {
            do {
                _ = try await client.send(command)
                Issue.record("a cross-slot command was accepted")
            } catch {
                #expect(error.code == .crossSlot)
            }
        }
        do {
            _ = try await client.pipeline([["GET", "a"], ["MGET", "a", "b"]])
            Issue.record("a pipeline with a cross-slot command was accepted")
        } catch {
            #expect(error.code == .crossSlot)
        }
        do {
            _ = try await client.blockingSend(["BLPOP", "a", "b", "1"], blockFor: .seconds(1))
            Issue.record("a cross-slot blocking command was accepted")
        } catch {
            #expect(error.code == .crossSlot)
        }
        // A routable command does try the seed, and fails as a connection error.
        do {
            _ = try await client.send("GET", "a")
            Issue.record("GET succeeded with no cluster")
        } catch {
            #expect(error.code == .connectionRefused)
        }
        var database = configuration
        database.database = 2
        let wrong = RedisClient(configuration: database)
        defer { wrong.shutdown() }
        await #expect(throws: RedisError.self) { try await wrong.send("GET", "a") }
    }
}
