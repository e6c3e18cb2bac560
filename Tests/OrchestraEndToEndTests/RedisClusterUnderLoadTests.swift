import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Testing

/// The whole system while the Redis Cluster under it changes: slots resharded live, a manual
/// failover, a master killed with `kill -9`. Real gateways and workers, 3 masters + 3 replicas.
@Suite("End to end: a Redis Cluster changing under load", .serialized, .timeLimit(.minutes(10)))
struct RedisClusterUnderLoadTests {
    static let shards = 12

    /// The hash slot of shard `index`'s `{s<n>}` tag.
    static func slot(ofShard index: Int) -> Int { Int(HashSlot(key: "{s\(index)}").rawValue) }

    static func startCluster(extraArguments: [String] = []) async throws -> RedisClusterProcess {
        try await TestRedisCluster.offloaded {
            try RedisClusterProcess(masters: 3, replicasPerMaster: 1, extraArguments: extraArguments)
        }
    }

    static func environment(_ redis: RedisClusterProcess, echoLatency: Int = 200) -> [String: String] {
        ["REDIS_CLUSTER_NODES": redis.seedList, "ORCHESTRA_SHARDS": String(shards), "ECHO_LATENCY_MS": String(echoLatency)]
    }

    /// Waits until every live node agrees that `slot` is served by `owner`.
    static func waitUntilAgreed(_ redis: RedisClusterProcess, slot: Int, owner: RedisClusterProcess.Node, nodes: [RedisClusterProcess.Node])
        async throws
    {
        try await eventually(within: .seconds(15)) {
            for node in nodes where try await redis.owner(ofSlot: slot, seenBy: node) != owner { return false }
            return true
        }
    }

    /// How often each command ran so far (`INFO commandstats`), summed over the nodes: `asking`
    /// counts the clients' `ASK` follow-ups, `cluster|shards` their reads of the slot map.
    static func commandCalls(_ redis: RedisClusterProcess) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for node in redis.nodes {
            for line in try await redis.cli(node, ["INFO", "commandstats"]).split(whereSeparator: \.isNewline)
            where line.hasPrefix("cmdstat_") {
                // cmdstat_cluster|shards:calls=12,usec=…
                let parts = line.dropFirst("cmdstat_".count).split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let calls = parts[1].split(separator: ",").first?.split(separator: "=").last.flatMap({ Int($0) })
                else { continue }
                counts[String(parts[0]), default: 0] += calls
            }
        }
        return counts
    }

    /// How many tasks ran more than once, over `statuses`.
    static func repeatedTasks(_ statuses: [WorkflowStatus]) -> Int {
        statuses.flatMap(\.tasks).filter { ($0.attempts ?? 1) > 1 }.count
    }

    @Test(
        "resharding live: slots holding shards in use move between masters while workflows run; every accepted workflow completes"
    )
    func reshardingLive() async throws {
        let redis = try await Self.startCluster()
        defer { redis.stop() }
        try await withCluster(environment: Self.environment(redis), redisURL: "redis://\(redis.nodes[0].address)") { cluster in
            let gateways = [GatewayHTTP(try await cluster.startGateway()), GatewayHTTP(try await cluster.startGateway())]
            let workers = [try cluster.startWorker(), try cluster.startWorker()]
            var ids: [String] = []
            for index in 0..<40 { ids.append(try await gateways[index % 2].submit(EventStreamTests.graph)) }
            let load = SubmissionLoad(gateways)
            let before = try await Self.commandCalls(redis)

            // Shard 10's slot, then shard 0's, then shard 11's (over 4,000 slots, shards 2 and 6
            // with it), then shard 10's again: each time the source's lowest slots up to the
            // shard's, as `reshard` takes them.
            var moves: [String] = []
            for shard in [10, 0, 11, 10] {
                let slot = Self.slot(ofShard: shard)
                let source = try #require(try await redis.owner(ofSlot: slot))
                let masters = try await redis.masters()
                let destination = try #require(masters.filter { $0 != source }.sorted { $0.port < $1.port }.first)
                // The slot holds the shard's keys (queues, workflows) before it moves.
                try await eventually(within: .seconds(10)) {
                    let count = try await redis.cli(source, ["CLUSTER", "COUNTKEYSINSLOT", String(slot)])
                    return (Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0
                }
                let lowest = try await redis.slots(of: source).sorted { $0.lowerBound < $1.lowerBound }
                let count = lowest.reduce(0) { total, range in
                    range.lowerBound > slot ? total : total + min(range.upperBound, slot) - range.lowerBound + 1
                }
                let started = ContinuousClock.now
                let before = load.attempts
                try await redis.reshard(from: source, to: destination, slots: count)
                try await Self.waitUntilAgreed(redis, slot: slot, owner: destination, nodes: redis.nodes)
                let moved = try await redis.cli(destination, ["CLUSTER", "COUNTKEYSINSLOT", String(slot)])
                #expect((Int(moved.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "shard \(shard)'s keys moved")
                moves.append(
                    "shard \(shard) (slot \(slot)) with \(count) slots \(source.port)→\(destination.port) in \(ContinuousClock.now - started), \(load.attempts - before) submissions meanwhile"
                )
            }
            await load.stop()
            ids += load.accepted.map(\.id)
            // The clients met the moves: redirected, they read the slot map again (and followed
            // `ASK` with `ASKING` when they hit a slot in mid-migration).
            let after = try await Self.commandCalls(redis)
            let mapReads = after["cluster|shards", default: 0] - before["cluster|shards", default: 0]
            let askings = after["asking", default: 0] - before["asking", default: 0]
            #expect(mapReads > 0, "the clients read the moved slots' new owners")

            let outcomes = try await gateways[1].outcomes(of: ids, within: .seconds(60))
            let completed = outcomes.values.filter { $0.0 == .completed }.compactMap(\.1)
            #expect(completed.count == ids.count, "every accepted workflow completes: \(outcomes.values.map(\.0.rawValue).sorted())")
            #expect(completed.allSatisfy { $0.tasks.allSatisfy { $0.status == .completed && $0.result != nil } })
            #expect(completed.allSatisfy { $0.tasks.allSatisfy { ($0.attempts ?? 1) <= 2 } }, "no task ran more than twice")
            for worker in workers { #expect(cluster.isRunning(worker.pid)) }
            print(
                "[resharding live] \(ids.count) accepted, \(completed.count) completed, \(Self.repeatedTasks(completed)) task(s) run twice, \(load.refused.count) submission(s) refused \(load.refused.prefix(3)); slot map read again \(mapReads) times, ASKING sent \(askings) times; moves: \(moves.joined(separator: "; "))"
            )
        }
    }

    @Test("CLUSTER FAILOVER on two replicas under load: every accepted workflow completes, nothing lost")
    func manualFailoverUnderLoad() async throws {
        let redis = try await Self.startCluster()
        defer { redis.stop() }
        try await withCluster(environment: Self.environment(redis), redisURL: "redis://\(redis.nodes[0].address)") { cluster in
            let gateways = [GatewayHTTP(try await cluster.startGateway()), GatewayHTTP(try await cluster.startGateway())]
            let workers = [try cluster.startWorker(), try cluster.startWorker()]
            let load = SubmissionLoad(gateways)
            try await eventually(within: .seconds(20)) { load.accepted.count >= 20 }

            let masters = try await redis.masters().sorted { $0.port < $1.port }
            var promoted: [RedisClusterProcess.Node] = []
            for master in masters.prefix(2) {
                let replica = try #require(try await redis.replicas(of: master).first)
                let accepted = load.accepted.count
                try await redis.failover(to: replica)
                try await redis.waitUntilHealthy()
                promoted.append(replica)
                // Submissions keep being accepted after the switch.
                try await eventually(within: .seconds(20)) { load.accepted.count >= accepted + 15 }
            }
            await load.stop()
            let nowMasters = Set(try await redis.masters())
            #expect(Set(promoted).isSubset(of: nowMasters), "the replicas are masters now")

            let ids = load.accepted.map(\.id)
            let outcomes = try await gateways[0].outcomes(of: ids, within: .seconds(60))
            let lost = outcomes.values.filter { $0.0 == .lost }.count
            let completed = outcomes.values.filter { $0.0 == .completed }.compactMap(\.1)
            #expect(lost == 0, "a manual failover loses nothing")
            #expect(completed.count == ids.count, "every accepted workflow completes: \(outcomes.values.map(\.0.rawValue).sorted())")
            for worker in workers { #expect(cluster.isRunning(worker.pid)) }
            print(
                "[manual failover] \(ids.count) accepted, \(completed.count) completed, \(lost) lost, \(Self.repeatedTasks(completed)) task(s) run twice, \(load.refused.count) submission(s) refused \(load.refused.prefix(3))"
            )
        }
    }

    /// How a master crash is met.
    enum CrashSettings: String, CustomTestStringConvertible, Sendable, CaseIterable {
        /// Redis's defaults: asynchronous replication, no AOF; the replica keeps up.
        case defaults
        /// Redis's defaults, and the crashed master's replica had been cut off from it (its link
        /// dropped, the replica stalled) for the last submissions before the crash.
        case defaultsReplicaCutOff
        /// `REDIS_WAIT_REPLICAS=1` (a submission is accepted once a replica has it), AOF with
        /// `appendfsync always` on every node; the replica cut off as above.
        case waitForReplicaReplicaCutOff

        var testDescription: String { rawValue }
        var cutsOff: Bool { self != .defaults }
        var waits: Bool { self == .waitForReplicaReplicaCutOff }
    }

    @Test("a master's kill -9 under load: the cluster recovers; what is lost, by settings", arguments: CrashSettings.allCases)
    func masterKilledUnderLoad(_ settings: CrashSettings) async throws {
        let redis = try await Self.startCluster(extraArguments: settings.waits ? ["--appendonly", "yes", "--appendfsync", "always"] : [])
        defer { redis.stop() }
        var environment = Self.environment(redis)
        if settings.waits { environment.merge(["REDIS_WAIT_REPLICAS": "1", "REDIS_WAIT_TIMEOUT_MS": "500"]) { $1 } }
        try await withCluster(environment: environment, redisURL: "redis://\(redis.nodes[0].address)") { cluster in
            let gateways = [GatewayHTTP(try await cluster.startGateway()), GatewayHTTP(try await cluster.startGateway())]
            let workers = [try cluster.startWorker(), try cluster.startWorker()]
            let load = SubmissionLoad(gateways)
            try await eventually(within: .seconds(20)) { load.accepted.count >= 20 }

            let victim = try #require(try await redis.masters().sorted { $0.port < $1.port }.first)
            let replica = try #require(try await redis.replicas(of: victim).first)
            // Which workflows live on the victim: their shard's slot is one of its slots.
            let schema = KeySchema(prefix: cluster.keyPrefix, shardCount: Self.shards)
            let victimSlots = try await redis.slots(of: victim)
            let onVictim = { (id: String) in victimSlots.contains { $0.contains(Self.slot(ofShard: schema.shard(of: id))) } }
            if settings.cutsOff {
                // The replica stalls and the master drops its link: the next submissions reach the
                // master only (a partition between them, a replica restarting). At least 15, and
                // some of them for the victim's shards (accepted by default; refused with WAIT).
                redis.pause(replica)
                try await redis.cli(victim, ["CLIENT", "KILL", "TYPE", "replica"])
                load.enter("cut-off")
                let attempts = load.attempts
                try await eventually(within: .seconds(30)) {
                    guard load.attempts >= attempts + 15 else { return false }
                    if settings.waits { return load.refused.contains { $0.contains("not confirmed") } }
                    return load.accepted.count { $0.phase == "cut-off" && onVictim($0.id) } >= 2
                }
            }
            load.enter("crash")
            let killedAt = ContinuousClock.now
            redis.kill(victim)
            if settings.cutsOff { redis.resume(replica) }
            try await eventually(within: .seconds(20)) { try await redis.cli(replica, ["ROLE"]).hasPrefix("master") }
            let failoverTime = ContinuousClock.now - killedAt
            try await redis.waitUntilHealthy()

            // Fresh submissions go through again (with WAIT, those of the promoted master's shards are
            // refused while it has no replica: the killed node comes back as its replica first).
            if settings.waits {
                try await redis.restart(victim)
                try await redis.waitUntilHealthy()
                #expect(try await redis.cli(victim, ["ROLE"]).hasPrefix("slave"), "the killed master came back as a replica")
            }
            load.enter("after")
            try await eventually(within: .seconds(30)) { load.acceptedCount(in: "after") >= 20 }
            await load.stop()

            let accepted = load.accepted
            let outcomes = try await gateways[0].outcomes(of: accepted.map(\.id), within: .seconds(45))
            var lostByPhase: [String: Int] = [:]
            var acceptedByPhase: [String: Int] = [:]
            for workflow in accepted {
                acceptedByPhase[workflow.phase, default: 0] += 1
                if outcomes[workflow.id]?.0 == .lost { lostByPhase[workflow.phase, default: 0] += 1 }
            }
            let lost = lostByPhase.values.reduce(0, +)
            let cutOffOnVictim = accepted.count { $0.phase == "cut-off" && onVictim($0.id) }
            let stuck = outcomes.values.filter { $0.0 == .stuck }.count
            let completed = outcomes.values.filter { $0.0 == .completed }.compactMap(\.1)
            let refusedAfterCrash = load.refused.count
            let unfinished = outcomes.filter { $0.value.0 == .stuck }.prefix(3).map { id, outcome in
                "\(id): \(outcome.1.map { "\($0.status) \($0.tasks.map { "\($0.status)/\($0.attempts ?? 0)" })" } ?? "unreadable")"
            }
            print(
                "[master kill -9, \(settings.rawValue)] accepted \(accepted.count) \(acceptedByPhase.sorted { $0.key < $1.key }); lost \(lost) \(lostByPhase.sorted { $0.key < $1.key }) (\(cutOffOnVictim) accepted for the victim's shards while cut off); completed \(completed.count); stuck \(stuck); \(Self.repeatedTasks(completed)) task(s) run twice; refused \(refusedAfterCrash) \(Array(Set(load.refused.map { $0.prefix(60) })).prefix(3)); replica took over in \(failoverTime); unfinished: \(unfinished)"
            )

            // The system recovers: everything not lost completes (the reaper requeued what the dead
            // master's leases held), submissions after the crash all complete, workers never died.
            #expect(stuck == 0, "no accepted workflow is left unfinished")
            #expect(completed.count + lost == accepted.count, "nothing fails")
            #expect(lostByPhase["after", default: 0] == 0)
            #expect(acceptedByPhase["after", default: 0] >= 20)
            for worker in workers { #expect(cluster.isRunning(worker.pid)) }
            if settings.waits {
                #expect(lost == 0, "with WAIT for a replica, no accepted workflow is lost")
            }
            if settings == .defaultsReplicaCutOff {
                #expect(cutOffOnVictim >= 2)
                #expect(lost >= cutOffOnVictim, "the cut-off replica never saw them: the defaults lose them all")
            }
            if settings.waits {
                #expect(cutOffOnVictim == 0, "while its replica was cut off, the victim's shards accepted nothing")
            }
        }
    }
}
