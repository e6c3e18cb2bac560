public import OrchestraRedis

/// What the scheduling functions need besides the keys: retention and event stream caps. One
/// value shared by the gateway's store and the worker's queue, built from the configuration.
public struct SchedulerSettings: Sendable, Hashable {
    /// The key schema.
    public var keys: KeySchema
    /// How long finished workflows (and their event streams) are kept. Default one day.
    public var retention: Duration = .seconds(86_400)
    /// The most events one workflow's stream keeps (exact `MAXLEN`; tokens count); 0 turns the
    /// workflow streams (and token events) off. Default 10,000.
    public var workflowEventLimit: Int = 10_000
    /// About how many events each shard's cluster-wide stream keeps (`MAXLEN ~`); 0 turns the
    /// cluster-wide stream off. Default 100,000.
    public var clusterEventLimit: Int = 100_000
    /// How long a cancelled workflow's event stream stays readable after `DELETE`. Default 1 hour.
    public var cancelledEventRetention: Duration = .seconds(3600)
    /// Replicas that must confirm a submission before it is acknowledged (`WAIT` after the submit
    /// write, `REDIS_WAIT_REPLICAS`), so a master's crash right after it cannot lose an accepted
    /// workflow. `nil` (the default): no wait, Redis's asynchronous replication.
    public var submitAcknowledgement: ReplicaAcknowledgement?

    /// Settings for `keys`; every other field has its default.
    public init(keys: KeySchema) {
        self.keys = keys
    }

    var retentionSeconds: Int { Int(retention.components.seconds) }
}
