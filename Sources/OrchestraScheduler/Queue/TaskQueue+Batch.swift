public import OrchestraRedis

extension TaskQueue {
    /// Claims up to `limit` tasks that are ready in `shard` now, without blocking: two script
    /// calls however many tasks it takes (``SchedulerScripts/popReady`` moves references to the
    /// shard's `claimed` list, ``SchedulerScripts/claimBatch`` leases them). Returns an empty
    /// array when nothing is ready; references that are no longer claimable are dropped.
    public func claimReady(from shard: ShardKeys, limit: Int) async throws(RedisError) -> [ClaimedTask] {
        guard limit > 0 else { return [] }
        let popped = try await redis.run(
            SchedulerScripts.popReady,
            keys: [RedisArgument(shard.ready), RedisArgument(shard.claimed)],
            arguments: [RedisArgument(limit)]
        )
        let refs = popped.array?.compactMap(\.string) ?? []
        return try await claim(refs: refs, shard: shard)
    }

    /// Claims references of `shard` already moved to its `claimed` list, in one script call.
    func claim(refs: [String], shard: ShardKeys) async throws(RedisError) -> [ClaimedTask] {
        guard !refs.isEmpty else { return [] }
        var targets: [(workflow: WorkflowKeys, index: Int)] = []
        var malformed: [String] = []
        targets.reserveCapacity(refs.count)
        for ref in refs {
            if let bar = ref.lastIndex(of: "|"), let index = Int(ref[ref.index(after: bar)...]) {
                targets.append((keys.workflow(String(ref[..<bar])), index))
            } else {
                malformed.append(ref)
            }
        }
        for ref in malformed { try await redis.send("LREM", RedisArgument(shard.claimed), -1, RedisArgument(ref)) }
        guard !targets.isEmpty else { return [] }
        var scriptKeys: [RedisArgument] = [
            RedisArgument(shard.claimed), RedisArgument(shard.leases), RedisArgument(shard.state("pending")),
            RedisArgument(shard.state("running")),
        ]
        var arguments: [RedisArgument] = [
            RedisArgument(workerID), RedisArgument(Int(now())), RedisArgument(Int(leaseDuration.milliseconds)),
        ]
        scriptKeys.reserveCapacity(4 + 2 * targets.count)
        arguments.reserveCapacity(3 + 2 * targets.count)
        for target in targets {
            scriptKeys += [RedisArgument(target.workflow.hash), RedisArgument(target.workflow.tasks)]
            arguments += [RedisArgument(target.workflow.ref(target.index)), RedisArgument(target.index)]
        }
        let reply = try await redis.run(SchedulerScripts.claimBatch, keys: scriptKeys, arguments: arguments)
        let replies = reply.array ?? []
        var claimed: [ClaimedTask] = []
        claimed.reserveCapacity(targets.count)
        for (target, single) in zip(targets, replies) {
            if let task = ClaimedTask(claimReply: single, workflowID: target.workflow.id, index: target.index) {
                claimed.append(task)
            }
        }
        return claimed
    }
}
