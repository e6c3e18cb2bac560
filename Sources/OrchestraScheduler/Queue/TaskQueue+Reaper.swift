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

    /// An empty report.
    public init() {}
}

extension TaskQueue {
    /// One reaper pass over `shard`, if no other worker holds its lock: requeues tasks whose lease
    /// expired, promotes delayed retries that are due, recovers stuck claims, and drops the ids of
    /// expired workflows from the listing sets. "Now" is the server's clock. Any worker may call
    /// it; the lock (held for `interval`) makes one run at a time.
    public func reap(_ shard: ShardKeys, interval: Duration, batch: Int = 200) async throws(RedisError) -> ReapReport {
        var report = ReapReport()
        let locked = try await redis.send(
            "SET", RedisArgument(shard.reaperLock), RedisArgument(workerID), "NX", "PX",
            RedisArgument(Int(max(1, interval.milliseconds - 10)))
        )
        guard try locked.checked() == .simpleString("OK") else { return report }
        report.ranReaper = true
        for _ in 0..<10 {
            let work = try await dueWork(shard, batch: batch)
            for ref in work.expired {
                switch try await expireLease(ref, shard: shard) {
                case "requeued": report.requeued += 1
                case "failed": report.failed += 1
                default: break
                }
            }
            for ref in work.due { report.promoted += try await promote(ref, shard: shard) }
            let forgotten = try await forget(work.finished, shard: shard)
            report.forgotten += forgotten
            // More passes only while a whole batch of something was handled and all of it went.
            let full =
                work.expired.count >= batch || work.due.count >= batch || (work.finished.count >= batch && forgotten == work.finished.count)
            if !full { break }
        }
        var recover = SchedulerLibrary.recoverClaimed.call()
        recover.key("claimed", shard.claimed)
        recover.key("seen", shard.claimedSeen)
        recover.key("ready", shard.ready)
        report.recovered = try await redis.call(recover).decodeInt()
        return report
    }

    private func dueWork(_ shard: ShardKeys, batch: Int) async throws(RedisError) -> (expired: [String], due: [String], finished: [String])
    {
        var call = SchedulerLibrary.due.call()
        call.key("leases", shard.leases)
        call.key("delayed", shard.delayed)
        call.key("completed", shard.state("completed"))
        call.key("failed", shard.state("failed"))
        call.key("partial", shard.state("partial"))
        call.argument("batch", RedisArgument(batch))
        call.argument("retention_ms", RedisArgument(Int(settings.retention.milliseconds)))
        let reply = try await ReplyFields(redis.call(call))
        func strings(_ name: String) throws(RedisError) -> [String] {
            var result: [String] = []
            for value in try reply.array(name) ?? [] { result.append(try value.decodeString()) }
            return result
        }
        return (try strings("expired"), try strings("due"), try strings("finished"))
    }

    private func expireLease(_ ref: String, shard: ShardKeys) async throws(RedisError) -> String {
        guard let (workflow, index) = keys.task(ref: ref) else {
            _ = try await redis.send("ZREM", RedisArgument(shard.leases), RedisArgument(ref))
            return "gone"
        }
        var call = SchedulerLibrary.expireLease.call()
        call.key("wf", workflow.hash)
        call.key("tasks", workflow.tasks)
        call.key("events", workflow.events)
        call.key("leases", shard.leases)
        call.key("ready", shard.ready)
        call.key("pending", shard.state("pending"))
        call.key("running", shard.state("running"))
        call.key("completed", shard.state("completed"))
        call.key("failed", shard.state("failed"))
        call.key("partial", shard.state("partial"))
        call.key("shard_events", shard.events)
        call.argument("ref", RedisArgument(ref))
        call.argument("index", RedisArgument(index))
        call.argument("retention", RedisArgument(settings.retentionSeconds))
        call.argument("channel", RedisArgument(shard.notifyChannel))
        call.argument("wmax", RedisArgument(settings.workflowEventLimit))
        call.argument("smax", RedisArgument(settings.clusterEventLimit))
        return try await redis.call(call).decodeString()
    }

    private func promote(_ ref: String, shard: ShardKeys) async throws(RedisError) -> Int {
        guard let (workflow, index) = keys.task(ref: ref) else {
            _ = try await redis.send("ZREM", RedisArgument(shard.delayed), RedisArgument(ref))
            return 0
        }
        var call = SchedulerLibrary.promote.call()
        call.key("wf", workflow.hash)
        call.key("tasks", workflow.tasks)
        call.key("events", workflow.events)
        call.key("delayed", shard.delayed)
        call.key("ready", shard.ready)
        call.key("shard_events", shard.events)
        call.argument("ref", RedisArgument(ref))
        call.argument("index", RedisArgument(index))
        call.argument("wmax", RedisArgument(settings.workflowEventLimit))
        call.argument("smax", RedisArgument(settings.clusterEventLimit))
        return try await redis.call(call).decodeInt()
    }

    /// Finished workflows expire `retention` after they finish, so only ids created before
    /// `now - retention` can be gone; those whose hash is gone leave the listing sets.
    private func forget(_ ids: [String], shard: ShardKeys) async throws(RedisError) -> Int {
        guard !ids.isEmpty else { return 0 }
        var call = SchedulerLibrary.forgetExpired.call(groups: ids.count)
        call.key("workflows", shard.workflows)
        call.key("completed", shard.state("completed"))
        call.key("failed", shard.state("failed"))
        call.key("partial", shard.state("partial"))
        for id in ids {
            call.key("wf", keys.workflow(id).hash)
            call.argument("id", RedisArgument(id))
        }
        return try await redis.call(call).decodeInt()
    }
}
