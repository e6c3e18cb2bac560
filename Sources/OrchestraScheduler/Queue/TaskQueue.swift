import Logging
import OrchestraAPI
public import OrchestraRedis

/// The worker's side of the scheduler: claiming, lease renewal, acknowledgement and the reaper.
/// Every state change is one function of ``SchedulerLibrary``; time comes from the server.
public final class TaskQueue: Sendable {
    /// Keys, retention and event caps.
    public let settings: SchedulerSettings
    /// This worker's id, recorded as the owner of its leases.
    public let workerID: String
    /// How long a lease lasts without renewal.
    public let leaseDuration: Duration
    let redis: RedisClient

    /// A queue over `redis`.
    public init(redis: RedisClient, settings: SchedulerSettings, workerID: String, leaseDuration: Duration) {
        self.redis = redis
        self.settings = settings
        self.workerID = workerID
        self.leaseDuration = leaseDuration
    }

    /// The key schema in use.
    public var keys: KeySchema { settings.keys }

    // MARK: Claim

    /// Claims up to `limit` tasks that are ready in `shard` now, without blocking: two calls
    /// however many tasks it takes (``SchedulerLibrary/popReady`` moves references to the shard's
    /// `claimed` list, ``SchedulerLibrary/claim`` leases them). Empty when nothing is ready.
    public func claimReady(from shard: ShardKeys, limit: Int) async throws(RedisError) -> [ClaimedTask] {
        guard limit > 0 else { return [] }
        var call = SchedulerLibrary.popReady.call()
        call.key("ready", shard.ready)
        call.key("claimed", shard.claimed)
        call.argument("limit", RedisArgument(limit))
        var refs: [String] = []
        for value in try await redis.call(call).decodeArray() { refs.append(try value.decodeString()) }
        return try await claim(refs: refs, in: shard)
    }

    /// Blocks (on a dedicated connection) until a task of `shard` is ready or `block` passes, and
    /// moves its reference to the shard's `claimed` list; `nil` on timeout. Claim it with
    /// ``claim(refs:in:)`` or give it back with ``unclaim(_:in:)``.
    public func waitForReady(in shard: ShardKeys, block: Duration) async throws(RedisError) -> String? {
        let seconds = Double(block.components.seconds) + Double(block.components.attoseconds) / 1e18
        let popped = try await redis.blockingSend(
            ["BLMOVE", RedisArgument(shard.ready), RedisArgument(shard.claimed), "LEFT", "RIGHT", RedisArgument(seconds)],
            blockFor: block
        )
        return try popped.decodeOptionalString()
    }

    /// Leases references of `shard` already on its `claimed` list, in one call. References that
    /// are no longer claimable (the reaper took them back, the workflow was deleted) are dropped.
    public func claim(refs: [String], in shard: ShardKeys) async throws(RedisError) -> [ClaimedTask] {
        guard !refs.isEmpty else { return [] }
        var targets: [(workflow: WorkflowKeys, index: Int)] = []
        targets.reserveCapacity(refs.count)
        for ref in refs {
            if let target = keys.task(ref: ref) {
                targets.append(target)
            } else {
                _ = try await redis.send("LREM", RedisArgument(shard.claimed), -1, RedisArgument(ref))
            }
        }
        guard !targets.isEmpty else { return [] }
        var call = SchedulerLibrary.claim.call(groups: targets.count)
        call.key("claimed", shard.claimed)
        call.key("leases", shard.leases)
        call.key("pending", shard.state("pending"))
        call.key("running", shard.state("running"))
        call.key("shard_events", shard.events)
        call.argument("worker", RedisArgument(workerID))
        call.argument("lease_ms", RedisArgument(Int(leaseDuration.milliseconds)))
        call.argument("wmax", RedisArgument(settings.workflowEventLimit))
        call.argument("smax", RedisArgument(settings.clusterEventLimit))
        for target in targets {
            call.key("wf", target.workflow.hash)
            call.key("tasks", target.workflow.tasks)
            call.key("events", target.workflow.events)
            call.argument("ref", RedisArgument(target.workflow.ref(target.index)))
            call.argument("index", RedisArgument(target.index))
        }
        let replies = try await redis.call(call).decodeArray()
        guard replies.count == targets.count else {
            throw RedisError(.unexpectedReply, "claim answered \(replies.count) of \(targets.count) references")
        }
        var claimed: [ClaimedTask] = []
        claimed.reserveCapacity(targets.count)
        for (target, reply) in zip(targets, replies) {
            if let task = try ClaimedTask(claimReply: ReplyFields(reply), workflowID: target.workflow.id, index: target.index) {
                claimed.append(task)
            }
        }
        return claimed
    }

    /// Gives a popped reference back to the head of the ready list (no capacity to run it).
    public func unclaim(_ ref: String, in shard: ShardKeys) async throws(RedisError) {
        var call = SchedulerLibrary.unclaim.call()
        call.key("claimed", shard.claimed)
        call.key("ready", shard.ready)
        call.argument("ref", RedisArgument(ref))
        _ = try await redis.call(call)
    }

    // MARK: Leases

    /// Extends the leases of `tasks` (of one shard or several): one call per shard.
    public func renew(_ tasks: [ClaimedTask]) async throws(RedisError) -> [RenewOutcome] {
        guard !tasks.isEmpty else { return [] }
        var outcomes = [RenewOutcome](repeating: .lost, count: tasks.count)
        let byShard = Dictionary(grouping: tasks.indices) { keys.shard(of: tasks[$0].workflowID) }
        for (shard, positions) in byShard {
            var call = SchedulerLibrary.renew.call(groups: positions.count)
            call.key("leases", keys.shard(shard).leases)
            call.argument("lease_ms", RedisArgument(Int(leaseDuration.milliseconds)))
            for position in positions {
                let task = tasks[position]
                let workflow = keys.workflow(task.workflowID)
                call.key("wf", workflow.hash)
                call.key("tasks", workflow.tasks)
                call.argument("ref", RedisArgument(task.ref))
                call.argument("index", RedisArgument(task.index))
                call.argument("epoch", RedisArgument(task.epoch))
            }
            let replies = try await redis.call(call).decodeArray()
            for (position, result) in zip(positions, replies) {
                outcomes[position] =
                    switch try result.decodeInt() {
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
    /// provider again. `.ok`, or `.stale`/`.gone` when the claim is no longer this worker's.
    public func storeAnswer(_ task: ClaimedTask, _ answer: TaskAnswer) async throws(RedisError) -> AcknowledgeOutcome {
        let workflow = keys.workflow(task.workflowID)
        var call = SchedulerLibrary.storeAnswer.call()
        call.key("wf", workflow.hash)
        call.key("tasks", workflow.tasks)
        call.argument("index", RedisArgument(task.index))
        call.argument("epoch", RedisArgument(task.epoch))
        call.argument("output", RedisArgument(answer.output))
        call.argument("provider", RedisArgument(answer.provider))
        call.argument("model", RedisArgument(answer.model))
        call.argument("prompt_tokens", RedisArgument(answer.promptTokens.map(String.init) ?? ""))
        call.argument("completion_tokens", RedisArgument(answer.completionTokens.map(String.init) ?? ""))
        return try await AcknowledgeOutcome(reply: redis.call(call))
    }

    /// How a completion carries its answer.
    public enum Completion: Sendable, Hashable {
        /// The answer is in this call (it was not stored first).
        case answer(TaskAnswer)
        /// The answer was stored with ``storeAnswer(_:_:)``.
        case storedAnswer
    }

    /// Records a task's result, releases its dependents and counts its usage. `plan` is a
    /// delegating task's plan (JSON) to keep with its result.
    public func complete(_ task: ClaimedTask, _ completion: Completion, plan: String? = nil) async throws(RedisError)
        -> AcknowledgeOutcome
    {
        let workflow = keys.workflow(task.workflowID)
        let shard = workflow.shard
        var call = SchedulerLibrary.complete.call()
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
        call.key("usage", shard.usage)
        call.key("shard_events", shard.events)
        call.argument("ref", RedisArgument(task.ref))
        call.argument("index", RedisArgument(task.index))
        call.argument("epoch", RedisArgument(task.epoch))
        call.argument("retention", RedisArgument(settings.retentionSeconds))
        call.argument("channel", RedisArgument(shard.notifyChannel))
        call.argument("wmax", RedisArgument(settings.workflowEventLimit))
        call.argument("smax", RedisArgument(settings.clusterEventLimit))
        switch completion {
        case .answer(let answer):
            call.argument("answer", "inline")
            call.argument("output", RedisArgument(answer.output))
            call.argument("provider", RedisArgument(answer.provider))
            call.argument("model", RedisArgument(answer.model))
            call.argument("prompt_tokens", RedisArgument(answer.promptTokens.map(String.init) ?? ""))
            call.argument("completion_tokens", RedisArgument(answer.completionTokens.map(String.init) ?? ""))
        case .storedAnswer:
            call.argument("answer", "stored")
            for name: StaticString in ["output", "provider", "model", "prompt_tokens", "completion_tokens"] {
                call.argument(name, "")
            }
        }
        call.argument("plan", RedisArgument(plan ?? ""))
        return try await AcknowledgeOutcome(reply: redis.call(call))
    }

    /// Records a failed attempt. With `retryAfter` and attempts left the task is retried after
    /// that delay; `refundAttempt` (rate limits) does not count this attempt. With
    /// `maximumRefunds` > 0 at most that many refunds are granted over the task's life; later ones
    /// spend the attempt (a rate limit that never lifts must still end the task).
    public func fail(
        _ task: ClaimedTask,
        error: String,
        retryAfter: Duration?,
        refundAttempt: Bool = false,
        maximumRefunds: Int = 0
    ) async throws(RedisError) -> AcknowledgeOutcome {
        let workflow = keys.workflow(task.workflowID)
        let shard = workflow.shard
        var call = SchedulerLibrary.fail.call()
        call.key("wf", workflow.hash)
        call.key("tasks", workflow.tasks)
        call.key("events", workflow.events)
        call.key("leases", shard.leases)
        call.key("delayed", shard.delayed)
        call.key("pending", shard.state("pending"))
        call.key("running", shard.state("running"))
        call.key("completed", shard.state("completed"))
        call.key("failed", shard.state("failed"))
        call.key("partial", shard.state("partial"))
        call.key("shard_events", shard.events)
        call.argument("ref", RedisArgument(task.ref))
        call.argument("index", RedisArgument(task.index))
        call.argument("epoch", RedisArgument(task.epoch))
        call.argument("message", RedisArgument(String(error.prefix(4000))))
        call.argument("retry_ms", RedisArgument(retryAfter.map { Int(max(0, $0.milliseconds)) } ?? -1))
        call.argument("refund", refundAttempt ? "1" : "0")
        call.argument("max_refunds", RedisArgument(max(0, maximumRefunds)))
        call.argument("retention", RedisArgument(settings.retentionSeconds))
        call.argument("channel", RedisArgument(shard.notifyChannel))
        call.argument("wmax", RedisArgument(settings.workflowEventLimit))
        call.argument("smax", RedisArgument(settings.clusterEventLimit))
        return try await AcknowledgeOutcome(reply: redis.call(call))
    }
}

extension AcknowledgeOutcome {
    init(reply: RESPValue) throws(RedisError) {
        let text = try reply.decodeString()
        guard let outcome = AcknowledgeOutcome(rawValue: text) else {
            throw RedisError(.unexpectedReply, "unknown outcome '\(text.prefix(40))'")
        }
        self = outcome
    }
}

extension ClaimedTask {
    /// Reads one ``SchedulerLibrary/claim`` reply; `nil` unless its outcome is `ok`.
    init?(claimReply reply: ReplyFields, workflowID: String, index: Int) throws(RedisError) {
        guard try reply.string("outcome") == "ok" else { return nil }
        var dependencies: [DependencyOutput] = []
        if let flat = try reply.array("deps") {
            dependencies.reserveCapacity(flat.count / 2)
            var position = 0
            while position + 1 < flat.count {
                dependencies.append(
                    DependencyOutput(agentID: try flat[position].decodeString(), output: try flat[position + 1].decodeString()))
                position += 2
            }
        }
        func field(_ name: TaskField) -> String? { reply.optionalString(name.rawValue) }
        var answer: TaskAnswer?
        if let provider = field(.provider) {
            answer = TaskAnswer(
                output: field(.output) ?? "", provider: provider, model: field(.model) ?? "",
                promptTokens: field(.promptTokens).flatMap { Int($0) }, completionTokens: field(.completionTokens).flatMap { Int($0) })
        }
        self.init(
            workflowID: workflowID,
            index: index,
            epoch: try reply.int("epoch"),
            attempt: try reply.int("attempt"),
            maxAttempts: try reply.int("max_attempts"),
            agentID: try reply.string("agent_id"),
            role: try reply.string("role"),
            inputJSON: try reply.string("input"),
            workflowType: try reply.string("workflow_type"),
            options: TaskOptions(stored: field),
            storedAnswer: answer,
            dependencies: dependencies,
            queueWait: .milliseconds(max(0, reply.optionalString("waited_ms").flatMap { Int($0) } ?? 0))
        )
    }
}
