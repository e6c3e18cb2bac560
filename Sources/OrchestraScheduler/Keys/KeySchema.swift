import OrchestraRedis

/// The names of every Redis key the cluster uses. All keys of a workflow share the hash tag of
/// its shard (`{s<n>}`) with the queues its functions touch, so the same code runs on one Redis
/// or on Redis Cluster; `shardCount` spreads workflows over tags.
///
/// Every key family has its own fixed word after the tag and a workflow's id is always the whole
/// rest of its key, so no two ids (nor an id and a queue) can name the same key: the schema is
/// injective whatever characters ids use.
///
/// ```
/// <prefix>:meta                    HASH  schema version and shard count, recorded on first use
/// <prefix>:{s<n>}:ready            LIST  task refs "<workflow_id>|<index>" ready to run (FIFO)
/// <prefix>:{s<n>}:claimed          LIST  refs between a worker's pop and its claim
/// <prefix>:{s<n>}:claimed:seen     SET   the reaper's previous snapshot of `claimed`
/// <prefix>:{s<n>}:leases           ZSET  running refs scored by lease deadline (ms, server time)
/// <prefix>:{s<n>}:delayed          ZSET  refs waiting for a retry, scored by due time (ms)
/// <prefix>:{s<n>}:workflows        ZSET  workflow ids scored by creation time (ms)
/// <prefix>:{s<n>}:state:<status>   ZSET  the same, one set per workflow status
/// <prefix>:{s<n>}:reaper           STRING  lock: the worker running this shard's reaper
/// <prefix>:{s<n>}:usage            HASH  completed calls and tokens per "<provider>/<model>:<counter>"
/// <prefix>:{s<n>}:events           STREAM  the shard's lifecycle events (no tokens, no outputs)
/// <prefix>:{s<n>}:notify           shard channel (SPUBLISH): "done <id>", "cancel <id>"
/// <prefix>:{s<n>}:wf:<id>          HASH  the workflow (``WorkflowField``)
/// <prefix>:{s<n>}:tasks:<id>       HASH  its tasks, fields "<index>:<field>" (``TaskField``)
/// <prefix>:{s<n>}:events:<id>      STREAM  its events (API.md §6)
/// ```
public struct KeySchema: Sendable, Hashable {
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
    public func shard(_ index: Int) -> ShardKeys { ShardKeys(index: index, base: "\(prefix):{s\(index)}") }

    /// Every shard's keys.
    public var shards: [ShardKeys] { (0..<shardCount).map(shard) }

    /// The keys of one workflow.
    public func workflow(_ id: String) -> WorkflowKeys {
        WorkflowKeys(id: id, shard: shard(shard(of: id)))
    }

    /// The keys of the workflow a task reference (`<workflow_id>|<index>`) points into, and the
    /// index; `nil` for a malformed reference.
    public func task(ref: String) -> (workflow: WorkflowKeys, index: Int)? {
        guard let bar = ref.lastIndex(of: "|"), let index = Int(ref[ref.index(after: bar)...]) else { return nil }
        return (workflow(String(ref[..<bar])), index)
    }

    /// The hash recording the schema version and shard count (see ``ClusterMeta``).
    public var meta: String { "\(prefix):meta" }
}

/// The queue keys of one shard.
public struct ShardKeys: Sendable, Hashable {
    /// The shard's number.
    public let index: Int
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
    /// Usage counters per provider and model.
    public var usage: String { base + ":usage" }
    /// The shard's stream of lifecycle events (`GET /events` merges every shard's).
    public var events: String { base + ":events" }
    /// The shard's notification channel (`SPUBLISH`): `done <id>`, `cancel <id>`.
    public var notifyChannel: String { base + ":notify" }
    /// The index of workflows in `status` (`pending`, `running`, `completed`, `failed`, `partial`).
    public func state(_ status: String) -> String { base + ":state:" + status }
}

/// The keys of one workflow.
public struct WorkflowKeys: Sendable, Hashable {
    /// The workflow id.
    public let id: String
    /// Its shard's queue keys.
    public let shard: ShardKeys

    /// The workflow hash.
    public var hash: String { shard.base + ":wf:" + id }
    /// The hash of its tasks.
    public var tasks: String { shard.base + ":tasks:" + id }
    /// Its event stream.
    public var events: String { shard.base + ":events:" + id }

    /// The queue reference of task `index`: `<workflow_id>|<index>`.
    public func ref(_ index: Int) -> String { "\(id)|\(index)" }
}
