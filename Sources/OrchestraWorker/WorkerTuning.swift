/// Knobs of the worker's loops that are not part of ``OrchestraConfig/OrchestraConfiguration``.
/// The defaults suit a production worker; tests shorten the intervals.
public struct WorkerTuning: Sendable, Hashable {
    /// Claim loops blocking on each shard's ready queue; `nil` picks `max(1, min(4, 16 / shards))`,
    /// so a worker holds at most about 16 blocking connections however many shards there are.
    public var claimLoopsPerShard: Int?
    /// The most tasks one claim takes at once (never more than the free capacity). Default 16.
    public var claimBatchSize: Int = 16
    /// How long one blocking pop waits on an empty queue before it is issued again. Default 2 s.
    public var claimBlock: Duration = .seconds(2)
    /// How often each shard's reaper runs (one worker at a time holds its lock). Default 500 ms.
    public var reaperInterval: Duration = .milliseconds(500)
    /// How often the worker reports itself to the registry; its report expires after three of
    /// them (a killed worker disappears within that). Default 5 s.
    public var heartbeatInterval: Duration = .seconds(5)
    /// How often leases are renewed; `nil` means a third of the lease.
    public var leaseRenewalInterval: Duration?
    /// The longest a streamed piece of an answer waits before it is written as a `task.token`
    /// event (it goes at once when this long has passed since the task's previous one). Default 50 ms.
    public var tokenFlushInterval: Duration = .milliseconds(50)
    /// How many streamed characters are written at once without waiting for the interval. Default 256.
    public var tokenFlushCharacters: Int = 256
    /// Test hook: `false` stops renewing leases, so a test can make this worker lose its tasks.
    var renewsLeases = true

    /// The defaults.
    public init() {}

    /// The defaults with another heartbeat interval (`WORKER_HEARTBEAT_SECONDS`).
    public init(heartbeatInterval: Duration) {
        self.heartbeatInterval = heartbeatInterval
    }

    /// The claim loops per shard for `shardCount` shards.
    func loopsPerShard(shardCount: Int) -> Int {
        max(1, claimLoopsPerShard ?? min(4, 16 / max(1, shardCount)))
    }
}
