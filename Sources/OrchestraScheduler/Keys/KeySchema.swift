import OrchestraRedis

/// The names of every Redis key the cluster uses. All keys of a workflow share the hash tag of
/// its shard (`{s<n>}`) with the queues its scripts touch, so the same code runs on one Redis or
/// on Redis Cluster; `shardCount` spreads workflows over tags.
///
/// ```
/// <prefix>:{s<n>}:ready            LIST  task refs "<workflow_id>|<index>" ready to run (FIFO)
/// <prefix>:{s<n>}:claimed          LIST  refs between a worker's blocking pop and its claim
/// <prefix>:{s<n>}:claimed:seen     SET   reaper's previous snapshot of `claimed`
/// <prefix>:{s<n>}:leases           ZSET  running refs scored by lease deadline (ms)
/// <prefix>:{s<n>}:delayed          ZSET  refs waiting for a retry, scored by due time (ms)
/// <prefix>:{s<n>}:workflows        ZSET  workflow ids scored by creation time (ms)
/// <prefix>:{s<n>}:state:<status>   ZSET  the same, one set per workflow status
/// <prefix>:{s<n>}:reaper           STRING  lock: the worker running this shard's reaper
/// <prefix>:{s<n>}:usage            HASH  completed calls per model, counted by `complete`: fields
///                                        "<provider>/<model>:calls|prompt_tokens|completion_tokens"
/// <prefix>:{s<n>}:wf:<id>          HASH  the workflow
/// <prefix>:{s<n>}:wf:<id>:tasks    HASH  its tasks, fields "<index>:<field>"
/// <prefix>:notify                  pub/sub channel: "done <id>", "cancel <id>"
/// ```
public struct KeySchema: Sendable {
    /// The prefix of every key (`ORCHESTRA_KEY_PREFIX`).
    public let prefix: String
    /// How many shards (hash tags) workflows are spread over (`ORCHESTRA_SHARDS`).
    public let shardCount: Int

    /// A schema for `prefix` and `shardCount` (at least 1).
    public init(prefix: String = "orchestra", shardCount: Int = 1) {
        self.prefix = prefix
        self.shardCount = max(1, shardCount)
    }

    /// The shard a workflow lives in: FNV-1a of its id, modulo the shard count.
    public func shard(of workflowID: String) -> Int {
        guard shardCount > 1 else { return 0 }
        var hash: UInt32 = 2_166_136_261
        for byte in workflowID.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int(hash % UInt32(shardCount))
    }

    /// The queue keys of one shard.
    public func shard(_ index: Int) -> ShardKeys { ShardKeys(base: "\(prefix):{s\(index)}") }

    /// Every shard's keys.
    public var shards: [ShardKeys] { (0..<shardCount).map(shard) }

    /// The keys of one workflow.
    public func workflow(_ id: String) -> WorkflowKeys {
        let shard = shard(shard(of: id))
        return WorkflowKeys(id: id, shard: shard, hash: "\(shard.base):wf:\(id)", tasks: "\(shard.base):wf:\(id):tasks")
    }

    /// The pub/sub channel for workflow notifications (`done <id>`, `cancel <id>`).
    public var notifyChannel: String { "\(prefix):notify" }
}

/// The queue keys of one shard.
public struct ShardKeys: Sendable, Hashable {
    /// `<prefix>:{s<n>}`: every key of the shard starts with it.
    public let base: String
    /// Ready task references.
    public var ready: String { base + ":ready" }
    /// References popped by a worker and not yet claimed.
    public var claimed: String { base + ":claimed" }
    /// The reaper's snapshot of `claimed`.
    public var claimedSeen: String { base + ":claimed:seen" }
    /// Leases of running tasks.
    public var leases: String { base + ":leases" }
    /// Tasks waiting for a retry.
    public var delayed: String { base + ":delayed" }
    /// Workflow index by creation time.
    public var workflows: String { base + ":workflows" }
    /// The reaper lock.
    public var reaperLock: String { base + ":reaper" }
    /// Usage counters per provider and model (see ``WorkflowStore/usageCounters()``).
    public var usage: String { base + ":usage" }
    /// The index of workflows in `status` (`pending`, `running`, `completed`, `failed`, `partial`).
    public func state(_ status: String) -> String { base + ":state:" + status }

    /// The five state sets in the order scripts expect them.
    var states: [RedisArgument] {
        ["pending", "running", "completed", "failed", "partial"].map { RedisArgument(state($0)) }
    }
}

/// The keys of one workflow.
public struct WorkflowKeys: Sendable, Hashable {
    /// The workflow id.
    public let id: String
    /// Its shard's queue keys.
    public let shard: ShardKeys
    /// The workflow hash.
    public let hash: String
    /// The hash of its tasks.
    public let tasks: String

    /// The queue reference of task `index`: `<workflow_id>|<index>`.
    public func ref(_ index: Int) -> String { "\(id)|\(index)" }
}
