import Foundation
import OrchestraTestSupport
import Synchronization
import Testing

@testable import OrchestraRedis

/// The cluster of the tests that move slots, fail over and kill nodes (one at a time).
let changingCluster = TestRedisCluster.Shared()

/// Tasks that keep writing and reading keys until stopped, counting successes and failures.
final class Load: Sendable {
    private final class Counters: Sendable {
        let running = Atomic<Bool>(true)
        let successes = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
    }

    private let counters: Counters
    private let tasks: [Task<Void, Never>]

    init(client: RedisClient, prefix: String, tasks count: Int = 20) {
        let counters = Counters()
        self.counters = counters
        tasks = (0..<count).map { worker in
            Task {
                var step = 0
                while counters.running.load(ordering: .relaxed) {
                    step += 1
                    let key = RedisArgument("\(prefix)\(worker):\(step % 500)")
                    do {
                        try await client.send("SET", key, RedisArgument(step))
                        guard try await client.send("GET", key).int == step else {
                            counters.failures.withLock { $0.append("lost write of \(step)") }
                            return
                        }
                        counters.successes.add(1, ordering: .relaxed)
                        // Pacing (not synchronisation): ~100 round trips/s per task leaves CPU to
                        // the tests running beside this one on a small machine.
                        try? await Task.sleep(for: .milliseconds(10))
                    } catch {
                        // One failure fails the test: this task stops there.
                        counters.failures.withLock { $0.append("\(error)") }
                        return
                    }
                }
            }
        }
    }

    var succeeded: Int { counters.successes.load(ordering: .relaxed) }

    /// Waits until `count` more round trips succeeded (within `limit`), or a task failed.
    func waitForProgress(_ count: Int, within limit: Duration = .seconds(30)) async throws {
        let target = succeeded + count
        try await eventually(within: limit) { self.succeeded >= target || self.counters.failures.withLock { !$0.isEmpty } }
    }

    /// Stops the tasks and returns the failures they met.
    func stop() async -> [String] {
        counters.running.store(false, ordering: .relaxed)
        for task in tasks { await task.value }
        return counters.failures.withLock { $0 }
    }
}

/// The masters that have a replica now.
func mastersWithReplicas(_ cluster: RedisClusterProcess) async throws -> [RedisClusterProcess.Node] {
    var result: [RedisClusterProcess.Node] = []
    for master in try await cluster.masters() where !(try await cluster.replicas(of: master)).isEmpty { result.append(master) }
    return result
}

@Suite("RedisClient while a Redis Cluster changes", .serialized, .timeLimit(.minutes(5)))
struct RedisClusterChangeTests {
    @Test func askIsFollowedDuringAManualMigrationWithoutChangingTheMap() async throws {
        let cluster = try await changingCluster.get()
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let tag = "{\(TestRedis.uniquePrefix("ask"))}"
        let slot = Int(HashSlot(key: tag).rawValue)
        let source = try #require(try await cluster.owner(ofSlot: slot))
        let destination = try #require(try await cluster.masters().first { $0 != source })
        let (moved, stays, created) = (tag + "moved", tag + "stays", tag + "created")
        try await client.send("SET", RedisArgument(moved), "1")
        try await client.send("SET", RedisArgument(stays), "2")

        try await cluster.beginMigration(ofSlot: slot, from: source, to: destination)
        try await cluster.migrate(keys: [moved], from: source, to: destination)
        // `moved` is only on the destination now: the source answers ASK, the client follows it.
        #expect(try await client.send("GET", RedisArgument(moved)).string == "1")
        #expect(try await client.send("GET", RedisArgument(stays)).string == "2")
        #expect(try await client.send("SET", RedisArgument(created), "3") == .simpleString("OK"))
        #expect(try await client.pipeline([["GET", RedisArgument(moved)], ["GET", RedisArgument(stays)]]).map(\.string) == ["1", "2"])
        // The new key went to the importing node; the map still names the source.
        let importing = try TestRedisCluster.nodeClient(destination)
        defer { importing.shutdown() }
        #expect(try await importing.pipeline([["ASKING"], ["GET", RedisArgument(created)]])[1].string == "3")
        let owner = try await client.cluster?.currentTopology().master(for: HashSlot(key: tag))
        #expect(owner?.port == source.port)

        try await cluster.migrate(keys: [stays], from: source, to: destination)
        try await cluster.finishMigration(ofSlot: slot, to: destination)
        // Now the source answers MOVED: followed, and the slot's entry is updated.
        #expect(try await client.send("GET", RedisArgument(stays)).string == "2")
        let after = try await client.cluster?.currentTopology().master(for: HashSlot(key: tag))
        #expect(after?.port == destination.port)
    }

    @Test func aShardedSubscriptionFollowsItsChannelToTheSlotsNewOwner() async throws {
        let cluster = try await changingCluster.get()
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let channel = TestRedis.uniquePrefix("moving-channel")
        let slot = Int(HashSlot(key: channel).rawValue)
        let source = try #require(try await cluster.owner(ofSlot: slot))
        let destination = try #require(try await cluster.masters().first { $0 != source })
        let subscription = try await client.subscribe(to: [channel], sharded: true)
        defer { subscription.unsubscribe() }
        try await eventually(within: .seconds(5)) { try await client.send("SPUBLISH", RedisArgument(channel), "before").int == 1 }

        try await cluster.beginMigration(ofSlot: slot, from: source, to: destination)
        try await cluster.finishMigration(ofSlot: slot, to: destination)
        // The old owner ends the channel's subscription; the client subscribes again on the new one.
        try await eventually(within: .seconds(5)) { try await client.send("SPUBLISH", RedisArgument(channel), "after").int == 1 }
        let messages = try await within(.seconds(5)) {
            var texts: [String] = []
            for try await message in subscription {
                texts.append(message.text)
                if texts.count == 2 { break }
            }
            return texts
        }
        #expect(messages == ["before", "after"])
        let direct = try TestRedisCluster.nodeClient(destination)
        defer { direct.shutdown() }
        #expect(try await direct.send("PUBSUB", "SHARDNUMSUB", RedisArgument(channel)).array?.last == .integer(1))
    }

    @Test func movedIsFollowedDuringALiveReshardUnderLoad() async throws {
        let cluster = try await changingCluster.get()
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let masters = try await cluster.masters().sorted { $0.port < $1.port }
        let source = masters[0]
        let destination = masters[1]
        let movedSlot = try #require(try await cluster.slots(of: source).first?.lowerBound)
        let load = Load(client: client, prefix: TestRedis.uniquePrefix("reshard"))
        try await load.waitForProgress(500)
        try await cluster.reshard(from: source, to: destination, slots: 400)
        try await load.waitForProgress(2000)
        let failures = await load.stop()
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.first ?? "")")
        #expect(try await cluster.owner(ofSlot: movedSlot)?.port == destination.port)
        // The client's map learnt the move (MOVED patches it; the refresh after it reads it all).
        try await eventually(within: .seconds(5)) {
            try await client.cluster?.currentTopology().master(for: HashSlot(rawValue: movedSlot)!)?.port == destination.port
        }
    }

    @Test func commandsKeepSucceedingThroughAManualFailover() async throws {
        let cluster = try await changingCluster.get()
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let master = try #require(try await mastersWithReplicas(cluster).first)
        let replica = try #require(try await cluster.replicas(of: master).first)
        let slots = try await cluster.slots(of: master)
        let slot = try #require(slots.first?.lowerBound)
        // A worker blocked on a queue of that master when it steps down.
        let prefix = TestRedis.uniquePrefix("failover")
        let tag = (0...).lazy.map { "{\(prefix)\($0)}" }.first { key in slots.contains { $0.contains(Int(HashSlot(key: key).rawValue)) } }!
        let (queue, taken) = (RedisArgument(tag + "queue"), RedisArgument(tag + "taken"))
        let blocked = Task { try await client.blockingSend(["BLMOVE", queue, taken, "LEFT", "RIGHT", "20"], blockFor: .seconds(20)) }
        let direct = try TestRedisCluster.nodeClient(master)
        defer { direct.shutdown() }
        try await eventually(within: .seconds(5)) { try await direct.send("INFO", "clients").decodeString().contains("blocked_clients:1") }

        let load = Load(client: client, prefix: prefix)
        try await load.waitForProgress(500)
        try await cluster.failover(to: replica)
        try await load.waitForProgress(2000)
        let failures = await load.stop()
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.first ?? "")")
        // The blocked command was released by the old master (UNBLOCKED) and now waits on the new one.
        try await client.send("RPUSH", queue, "job")
        #expect(try await blocked.value.string == "job")
        try await eventually(within: .seconds(5)) {
            try await client.cluster?.currentTopology().master(for: HashSlot(rawValue: slot)!)?.port == replica.port
        }
    }

    @Test func aKilledMastersSlotsAreServedAgainOnceItsReplicaTakesOver() async throws {
        let cluster = try await changingCluster.get()
        let client = try TestRedisCluster.client(cluster) { $0.commandTimeout = .seconds(2) }
        defer { client.shutdown() }
        let victim = try #require(try await mastersWithReplicas(cluster).first)
        let replica = try #require(try await cluster.replicas(of: victim).first)
        let slots = try await cluster.slots(of: victim)
        let prefix = TestRedis.uniquePrefix("killed")
        let routed = (0...).lazy.map { "\(prefix)\($0)" }.first { key in slots.contains { $0.contains(Int(HashSlot(key: key).rawValue)) } }!
        try await client.send("SET", RedisArgument(routed), "before")
        cluster.kill(victim)
        // While no replica has taken over: a clear connection error, fast (no hang).
        let started = ContinuousClock.now
        do {
            try await client.send("GET", RedisArgument(routed))
        } catch {
            #expect(error.isTransient)
        }
        #expect(ContinuousClock.now - started < .seconds(3))
        // The replica is promoted after cluster-node-timeout; the same client finds it.
        try await eventually(within: .seconds(20)) {
            try await client.send("SET", RedisArgument(routed), "after") == .simpleString("OK")
        }
        #expect(try await client.send("GET", RedisArgument(routed)).string == "after")
        #expect(try await client.cluster?.currentTopology().master(for: HashSlot(key: routed))?.port == replica.port)
    }
}
