public import OrchestraRedis

/// What one reaper pass did on a shard.
public struct ReapReport: Sendable, Hashable {
    /// Whether this worker held the shard's reaper lock (otherwise it did nothing).
    public var ranReaper = false
    /// Expired leases whose tasks were queued again.
    public var requeued = 0
    /// Expired leases whose tasks had no attempts left and failed.
    public var failed = 0
    /// Delayed retries moved to the ready queue.
    public var promoted = 0
    /// References recovered from the `claimed` list of a worker that died mid-claim.
    public var recovered = 0
}

extension TaskQueue {
    /// One reaper pass over `shard`, if no other worker holds its lock: requeues tasks whose
    /// lease expired, promotes delayed retries that are due, and recovers stuck claims.
    /// Any worker may call it; the lock (held for `interval`) makes one run at a time.
    public func reap(_ shard: ShardKeys, interval: Duration, batch: Int = 200) async throws(RedisError) -> ReapReport {
        var report = ReapReport()
        let locked = try await redis.send(
            "SET", RedisArgument(shard.reaperLock), RedisArgument(workerID), "NX", "PX",
            RedisArgument(Int(max(1, interval.milliseconds - 10)))
        )
        guard locked == .simpleString("OK") else { return report }
        report.ranReaper = true
        let current = Int(now())
        let due = try await redis.pipeline([
            ["ZRANGEBYSCORE", RedisArgument(shard.leases), "-inf", RedisArgument(current), "LIMIT", "0", RedisArgument(batch)],
            ["ZRANGEBYSCORE", RedisArgument(shard.delayed), "-inf", RedisArgument(current), "LIMIT", "0", RedisArgument(batch)],
        ])
        let expired = due[0].array?.compactMap { $0.string } ?? []
        let promotable = due[1].array?.compactMap { $0.string } ?? []
        for ref in expired {
            guard let (workflow, index) = split(ref) else { continue }
            let outcome = try await redis.run(
                SchedulerScripts.expireLease,
                keys: [
                    RedisArgument(workflow.hash), RedisArgument(workflow.tasks), RedisArgument(shard.leases), RedisArgument(shard.ready),
                ] + shard.states,
                arguments: [
                    RedisArgument(ref), RedisArgument(index), RedisArgument(current),
                    RedisArgument(Int(retention.milliseconds / 1000)), RedisArgument(keys.notifyChannel),
                ]
            )
            switch outcome.string {
            case "requeued": report.requeued += 1
            case "failed": report.failed += 1
            default: break
            }
        }
        for ref in promotable {
            guard let (workflow, index) = split(ref) else { continue }
            let moved = try await redis.run(
                SchedulerScripts.promote,
                keys: [
                    RedisArgument(workflow.hash), RedisArgument(workflow.tasks), RedisArgument(shard.delayed), RedisArgument(shard.ready),
                ],
                arguments: [RedisArgument(ref), RedisArgument(index), RedisArgument(current)]
            )
            report.promoted += moved.int ?? 0
        }
        let recovered = try await redis.run(
            SchedulerScripts.recoverClaimed,
            keys: [RedisArgument(shard.claimed), RedisArgument(shard.claimedSeen), RedisArgument(shard.ready)]
        )
        report.recovered = recovered.int ?? 0
        return report
    }

    private func split(_ ref: String) -> (WorkflowKeys, Int)? {
        guard let bar = ref.lastIndex(of: "|"), let index = Int(ref[ref.index(after: bar)...]) else { return nil }
        return (keys.workflow(String(ref[..<bar])), index)
    }
}
