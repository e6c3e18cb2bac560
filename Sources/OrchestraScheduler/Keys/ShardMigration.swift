public import OrchestraRedis

/// Moves every workflow to the hash tag it has under another shard count (`orchestra shards
/// migrate --to N`), then records the new count, so processes started with it find everything.
///
/// Run it while no gateway or worker runs: it refuses while any task is leased or being claimed
/// (a running worker), and a gateway submitting meanwhile could write into a shard already moved.
/// It is restartable: an interrupted run leaves the old count recorded, and running it again moves
/// what is left. Keys move with `DUMP`/`RESTORE` (their TTL kept), so it works on Redis Cluster too.
public struct ShardMigration: Sendable {
    /// What a migration moved.
    public struct Report: Sendable, Hashable {
        /// The recorded shard count before.
        public var from = 0
        /// The shard count recorded now.
        public var to = 0
        /// Workflows whose keys moved to another tag.
        public var workflowsMoved = 0
        /// Ready and delayed task references moved.
        public var queueEntriesMoved = 0
    }

    /// Why a migration refused to run.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public var description: String
    }

    let redis: RedisClient
    let prefix: String

    /// A migration of the data under `prefix`.
    public init(redis: RedisClient, prefix: String) {
        self.redis = redis
        self.prefix = prefix
    }

    /// The shard count recorded in Redis, or `nil` when none is (no process ran yet).
    public func recordedShards() async throws(RedisError) -> Int? {
        try await redis.send("HGET", RedisArgument(KeySchema(prefix: prefix).meta), "shards").decodeOptionalString().flatMap { Int($0) }
    }

    /// Moves everything to `target` shards and records it.
    public func migrate(to target: Int) async throws -> Report {
        guard (1...1024).contains(target) else { throw Refusal(description: "the shard count must be 1...1024, not \(target)") }
        let recorded = try await recordedShards() ?? 1
        let old = KeySchema(prefix: prefix, shardCount: recorded)
        let new = KeySchema(prefix: prefix, shardCount: target)
        var report = Report(from: recorded, to: target)
        for shard in old.shards {
            let busy = try await redis.pipeline([["ZCARD", RedisArgument(shard.leases)], ["LLEN", RedisArgument(shard.claimed)]])
            let running = try busy[0].decodeInt() + busy[1].decodeInt()
            if running > 0 {
                throw Refusal(
                    description: "\(running) task(s) of shard \(shard.index) are running or being claimed: stop every worker first")
            }
        }
        guard recorded != target else { return report }

        for shard in old.shards {
            let indexKeys = [shard.workflows] + ["pending", "running", "completed", "failed", "partial"].map(shard.state)
            var members: [String: [(key: Int, score: String)]] = [:]
            for (position, key) in indexKeys.enumerated() {
                let flat = try await redis.send("ZRANGE", RedisArgument(key), 0, -1, "WITHSCORES").decodeArray()
                var index = 0
                while index + 1 < flat.count {
                    members[try flat[index].decodeString(), default: []].append((position, try flat[index + 1].decodeString()))
                    index += 2
                }
            }
            for (id, entries) in members where new.shard(of: id) != shard.index {
                let from = old.workflow(id)
                let to = new.workflow(id)
                for (source, destination) in [(from.hash, to.hash), (from.tasks, to.tasks), (from.events, to.events)] {
                    try await move(source, to: destination)
                }
                let targetIndexKeys = [to.shard.workflows] + ["pending", "running", "completed", "failed", "partial"].map(to.shard.state)
                for entry in entries {
                    _ = try await redis.send(
                        "ZADD", RedisArgument(targetIndexKeys[entry.key]), RedisArgument(entry.score), RedisArgument(id))
                    _ = try await redis.send("ZREM", RedisArgument(indexKeys[entry.key]), RedisArgument(id))
                }
                report.workflowsMoved += 1
            }
            report.queueEntriesMoved += try await moveQueues(of: shard, old: old, new: new)
        }
        // Counters and streams of shards that no longer exist: usage folds into shard 0.
        for shard in old.shards where shard.index >= target {
            let usage = try await redis.send("HGETALL", RedisArgument(shard.usage)).decodeFieldMap()
            for (field, value) in usage {
                _ = try await redis.send("HINCRBY", RedisArgument(new.shard(0).usage), RedisArgument(field), RedisArgument(value))
            }
            _ = try await redis.send("DEL", RedisArgument(shard.usage))
            _ = try await redis.send("DEL", RedisArgument(shard.events))
        }
        try await ClusterMeta.record(shards: target, new, on: redis)
        return report
    }

    /// Moves the ready and delayed references of `shard` whose workflow lives elsewhere now.
    private func moveQueues(of shard: ShardKeys, old: KeySchema, new: KeySchema) async throws(RedisError) -> Int {
        var moved = 0
        for value in try await redis.send("LRANGE", RedisArgument(shard.ready), 0, -1).decodeArray() {
            let ref = try value.decodeString()
            guard let (workflow, _) = new.task(ref: ref), workflow.shard.index != shard.index else { continue }
            if try await redis.send("LREM", RedisArgument(shard.ready), 1, RedisArgument(ref)).decodeInt() > 0 {
                _ = try await redis.send("RPUSH", RedisArgument(workflow.shard.ready), RedisArgument(ref))
                moved += 1
            }
        }
        let delayed = try await redis.send("ZRANGE", RedisArgument(shard.delayed), 0, -1, "WITHSCORES").decodeArray()
        var index = 0
        while index + 1 < delayed.count {
            let ref = try delayed[index].decodeString()
            let score = try delayed[index + 1].decodeString()
            index += 2
            guard let (workflow, _) = new.task(ref: ref), workflow.shard.index != shard.index else { continue }
            _ = try await redis.send("ZADD", RedisArgument(workflow.shard.delayed), RedisArgument(score), RedisArgument(ref))
            _ = try await redis.send("ZREM", RedisArgument(shard.delayed), RedisArgument(ref))
            moved += 1
        }
        return moved
    }

    /// Copies `source` to `destination` with its TTL and deletes it (nothing when it is gone).
    private func move(_ source: String, to destination: String) async throws(RedisError) {
        let dumped = try await redis.send("DUMP", RedisArgument(source))
        guard case .bulkString(let payload) = try dumped.checked() else { return }
        let ttl = try await redis.send("PTTL", RedisArgument(source)).decodeInt()
        _ = try await redis.send(
            "RESTORE", RedisArgument(destination), RedisArgument(max(0, ttl)), RedisArgument(buffer: payload), "REPLACE")
        _ = try await redis.send("DEL", RedisArgument(source))
    }
}
