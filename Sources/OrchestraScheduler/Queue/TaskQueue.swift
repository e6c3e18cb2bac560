import Logging
public import OrchestraRedis

/// The worker's side of the scheduler: blocking claim, lease renewal, acknowledgement and the
/// reaper. Every state change is one script (see ``SchedulerScripts``).
public final class TaskQueue: Sendable {
    /// The key schema in use.
    public let keys: KeySchema
    /// This worker's id, recorded as the owner of its leases.
    public let workerID: String
    /// How long a lease lasts without renewal.
    public let leaseDuration: Duration
    /// How long finished workflows are kept.
    public let retention: Duration
    let redis: RedisClient
    let now: @Sendable () -> Int64

    /// A queue over `redis`. `now` gives epoch milliseconds (injectable for tests).
    public init(
        redis: RedisClient,
        keys: KeySchema,
        workerID: String,
        leaseDuration: Duration,
        retention: Duration,
        now: @escaping @Sendable () -> Int64 = { EpochClock.milliseconds() }
    ) {
        self.redis = redis
        self.keys = keys
        self.workerID = workerID
        self.leaseDuration = leaseDuration
        self.retention = retention
        self.now = now
    }

    // MARK: Claim

    /// Blocks (on a dedicated connection) until a task of `shard` is ready or `block` passes,
    /// then claims it. Returns `nil` on timeout or when the popped task was not claimable.
    public func next(from shard: ShardKeys, block: Duration) async throws(RedisError) -> ClaimedTask? {
        let seconds = Double(block.components.seconds) + Double(block.components.attoseconds) / 1e18
        let popped = try await redis.blockingSend(
            ["BLMOVE", RedisArgument(shard.ready), RedisArgument(shard.claimed), "LEFT", "RIGHT", RedisArgument(seconds)],
            blockFor: block
        )
        guard let ref = popped.string else { return nil }
        return try await claim(ref: ref, shard: shard)
    }

    /// Claims a reference already moved to the shard's `claimed` list.
    func claim(ref: String, shard: ShardKeys) async throws(RedisError) -> ClaimedTask? {
        guard let bar = ref.lastIndex(of: "|"), let index = Int(ref[ref.index(after: bar)...]) else {
            try await redis.send("LREM", RedisArgument(shard.claimed), -1, RedisArgument(ref))
            return nil
        }
        let workflow = keys.workflow(String(ref[..<bar]))
        let reply = try await redis.run(
            SchedulerScripts.claim,
            keys: [
                RedisArgument(shard.claimed), RedisArgument(shard.leases), RedisArgument(workflow.hash),
                RedisArgument(workflow.tasks), RedisArgument(shard.state("pending")), RedisArgument(shard.state("running")),
            ],
            arguments: [
                RedisArgument(ref), RedisArgument(index), RedisArgument(workerID), RedisArgument(Int(now())),
                RedisArgument(Int(leaseDuration.milliseconds)),
            ]
        )
        return ClaimedTask(claimReply: reply, workflowID: workflow.id, index: index)
    }

    // MARK: Leases

    /// Extends the leases of `tasks` (all of one shard or several). One script call per shard.
    public func renew(_ tasks: [ClaimedTask]) async throws(RedisError) -> [RenewOutcome] {
        guard !tasks.isEmpty else { return [] }
        var outcomes = [RenewOutcome](repeating: .lost, count: tasks.count)
        let byShard = Dictionary(grouping: tasks.indices) { keys.shard(of: tasks[$0].workflowID) }
        let deadline = Int(now() + leaseDuration.milliseconds)
        for (shard, positions) in byShard {
            var scriptKeys: [RedisArgument] = [RedisArgument(keys.shard(shard).leases)]
            var arguments: [RedisArgument] = [RedisArgument(deadline)]
            for position in positions {
                let task = tasks[position]
                let workflow = keys.workflow(task.workflowID)
                scriptKeys += [RedisArgument(workflow.hash), RedisArgument(workflow.tasks)]
                arguments += [RedisArgument(task.ref), RedisArgument(task.index), RedisArgument(task.epoch)]
            }
            let reply = try await redis.run(SchedulerScripts.renew, keys: scriptKeys, arguments: arguments)
            for (position, result) in zip(positions, reply.array ?? []) {
                outcomes[position] =
                    switch result.int {
                    case 1: .renewed
                    case -1: .cancelled
                    default: .lost
                    }
            }
        }
        return outcomes
    }

    // MARK: Acknowledge

    /// Stores the provider's answer before acknowledging, so a redelivery does not call the
    /// provider again. Returns `false` when the lease was lost.
    public func storeAnswer(_ task: ClaimedTask, answerJSON: String) async throws(RedisError) -> Bool {
        let workflow = keys.workflow(task.workflowID)
        let reply = try await redis.run(
            SchedulerScripts.storeAnswer,
            keys: [RedisArgument(workflow.hash), RedisArgument(workflow.tasks)],
            arguments: [RedisArgument(task.index), RedisArgument(task.epoch), RedisArgument(answerJSON)]
        )
        return reply.int == 1
    }

    /// Records a task's result and releases its dependents. With `provider` and `model` the call
    /// and its tokens are also counted in the shard's usage hash (``ShardKeys/usage``).
    public func complete(
        _ task: ClaimedTask,
        resultJSON: String,
        output: String,
        promptTokens: Int = 0,
        completionTokens: Int = 0,
        provider: String? = nil,
        model: String? = nil
    ) async throws(RedisError) -> AcknowledgeOutcome {
        let workflow = keys.workflow(task.workflowID)
        let reply = try await redis.run(
            SchedulerScripts.complete,
            keys: [
                RedisArgument(workflow.hash), RedisArgument(workflow.tasks), RedisArgument(workflow.shard.leases),
                RedisArgument(workflow.shard.ready),
            ] + workflow.shard.states + [RedisArgument(workflow.shard.usage)],
            arguments: [
                RedisArgument(task.ref), RedisArgument(task.index), RedisArgument(task.epoch), RedisArgument(Int(now())),
                RedisArgument(resultJSON), RedisArgument(output), RedisArgument(promptTokens), RedisArgument(completionTokens),
                RedisArgument(Int(retention.milliseconds / 1000)), RedisArgument(keys.notifyChannel),
                RedisArgument(provider.flatMap { provider in model.map { "\(provider)/\($0)" } } ?? ""),
            ]
        )
        return AcknowledgeOutcome(rawValue: reply.string ?? "") ?? .stale
    }

    /// Records a failed attempt. With `retryAfter` and attempts left the task is retried after
    /// that delay; `refundAttempt` (rate limits) does not count this attempt. With
    /// `maximumRefunds` > 0 at most that many refunds are granted over the task's life; later
    /// ones spend the attempt (a rate limit that never lifts must still end the task).
    public func fail(
        _ task: ClaimedTask,
        error: String,
        retryAfter: Duration?,
        refundAttempt: Bool = false,
        maximumRefunds: Int = 0
    ) async throws(RedisError) -> AcknowledgeOutcome {
        let workflow = keys.workflow(task.workflowID)
        let current = now()
        let retryAt = retryAfter.map { current + max(1, $0.milliseconds) } ?? 0
        let reply = try await redis.run(
            SchedulerScripts.fail,
            keys: [
                RedisArgument(workflow.hash), RedisArgument(workflow.tasks), RedisArgument(workflow.shard.leases),
                RedisArgument(workflow.shard.delayed),
            ] + workflow.shard.states,
            arguments: [
                RedisArgument(task.ref), RedisArgument(task.index), RedisArgument(task.epoch), RedisArgument(Int(current)),
                RedisArgument(String(error.prefix(4000))), RedisArgument(Int(retryAt)), RedisArgument(refundAttempt ? 1 : 0),
                RedisArgument(Int(retention.milliseconds / 1000)), RedisArgument(keys.notifyChannel), RedisArgument(max(0, maximumRefunds)),
            ]
        )
        return AcknowledgeOutcome(rawValue: reply.string ?? "") ?? .stale
    }
}
