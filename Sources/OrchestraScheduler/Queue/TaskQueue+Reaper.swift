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
    /// Expired finished workflows whose ids left the listing sets.
    public var forgotten = 0
}

extension TaskQueue {
    /// One reaper pass over `shard`, if no other worker holds its lock: requeues tasks whose
    /// lease expired, promotes delayed retries that are due, recovers stuck claims, and drops
    /// the ids of expired workflows from the listing sets.
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
        // Up to ten batches a pass, while each batch forgets everything it looked at.
        for _ in 0..<10 {
            let (looked, forgotten) = try await forgetExpired(shard, now: current, batch: batch)
            report.forgotten += forgotten
            guard forgotten == looked, looked >= batch else { break }
        }
        return report
    }

    /// Finished workflows expire `retention` after they finish, so only ids created before
    /// `now - retention` can be gone; those whose hash is gone leave the listing sets.
    private func forgetExpired(_ shard: ShardKeys, now: Int, batch: Int) async throws(RedisError) -> (looked: Int, forgotten: Int) {
        guard retention > .zero else { return (0, 0) }  // kept forever
        let cutoff = RedisArgument(now - Int(retention.milliseconds))
        let finished = ["completed", "failed", "partial"].map(shard.state)
        let candidates = try await redis.pipeline(
            finished.map { ["ZRANGEBYSCORE", RedisArgument($0), "-inf", cutoff, "LIMIT", "0", RedisArgument(batch)] })
        var ids: [String] = []
        var seen = Set<String>()
        for id in candidates.flatMap({ $0.array?.compactMap(\.string) ?? [] }) where seen.insert(id).inserted { ids.append(id) }
        guard !ids.isEmpty else { return (0, 0) }
        let forgotten = try await redis.run(
            SchedulerScripts.forgetExpired,
            keys: ([shard.workflows] + finished).map { RedisArgument($0) } + ids.map { RedisArgument(keys.workflow($0).hash) },
            arguments: ids.map { RedisArgument($0) }
        )
        return (ids.count, forgotten.int ?? 0)
    }

    private func split(_ ref: String) -> (WorkflowKeys, Int)? {
        guard let bar = ref.lastIndex(of: "|"), let index = Int(ref[ref.index(after: bar)...]) else { return nil }
        return (keys.workflow(String(ref[..<bar])), index)
    }
}
