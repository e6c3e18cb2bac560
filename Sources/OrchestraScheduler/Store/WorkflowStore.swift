public import OrchestraRedis

/// The gateway's side of the scheduler: atomic submit, reads, listing, cancellation and counts.
/// Keeps no state of its own: any gateway serves any workflow. Every read fails loudly: an error
/// reply is an error, never an empty list or a zero.
public final class WorkflowStore: Sendable {
    /// Keys, retention and event caps.
    public let settings: SchedulerSettings
    let redis: RedisClient

    /// A store over `redis`.
    public init(redis: RedisClient, settings: SchedulerSettings) {
        self.redis = redis
        self.settings = settings
    }

    /// The key schema in use.
    public var keys: KeySchema { settings.keys }

    /// What a submission found.
    public enum SubmitOutcome: Sendable, Hashable {
        /// Written, with its roots queued, at this server time (epoch ms).
        case created(createdAt: Int64)
        /// A workflow with this id exists; nothing was written.
        case alreadyExists
    }

    /// Writes the workflow, its tasks and its ready roots in one call: all or nothing.
    ///
    /// With ``SchedulerSettings/submitAcknowledgement`` it returns once that many replicas have
    /// the write, and throws ``RedisError/Code/notReplicated`` when they do not confirm in time
    /// (the workflow was written on the master and runs unless a failover loses it).
    public func submit(_ workflow: WorkflowSubmission) async throws(RedisError) -> SubmitOutcome {
        if let acknowledgement = settings.submitAcknowledgement {
            return try await SubmitOutcome(reply: redis.call(submitCall(workflow), replicatedTo: acknowledgement))
        }
        return try await SubmitOutcome(reply: redis.call(submitCall(workflow)))
    }

    /// Writes several workflows in one pipelined round trip, each all or nothing on its own, and
    /// answers for each: its outcome, or the error Redis gave for it alone (the others stand).
    /// With ``SchedulerSettings/submitAcknowledgement`` they are written one at a time, each
    /// waited on, and any error is that workflow's. Without it a failure of the round trip itself
    /// (no connection) throws.
    public func submitEach(_ workflows: [WorkflowSubmission]) async throws(RedisError) -> [Result<SubmitOutcome, RedisError>] {
        var outcomes: [Result<SubmitOutcome, RedisError>] = []
        outcomes.reserveCapacity(workflows.count)
        if settings.submitAcknowledgement != nil {
            for workflow in workflows {
                do {
                    outcomes.append(.success(try await submit(workflow)))
                } catch {
                    outcomes.append(.failure(error))
                }
            }
            return outcomes
        }
        for reply in try await redis.callEach(pipelined: workflows.map(submitCall)) {
            outcomes.append(Result { () throws(RedisError) in try SubmitOutcome(reply: reply) })
        }
        return outcomes
    }

    private func submitCall(_ workflow: WorkflowSubmission) -> FunctionCall {
        let target = keys.workflow(workflow.id)
        let shard = target.shard
        var fieldCount = 0
        for task in workflow.tasks { fieldCount += 6 + (task.dependencies.isEmpty ? 0 : 2) + (task.dependents.isEmpty ? 0 : 1) }
        var call = SchedulerLibrary.submit.call()
        call.key("wf", target.hash)
        call.key("tasks", target.tasks)
        call.key("events", target.events)
        call.key("ready", shard.ready)
        call.key("workflows", shard.workflows)
        call.key("pending", shard.state("pending"))
        call.key("shard_events", shard.events)
        call.argument("id", RedisArgument(workflow.id))
        call.argument("workflow_type", RedisArgument(workflow.type))
        call.argument("metadata", RedisArgument(workflow.metadataJSON == "{}" ? "" : workflow.metadataJSON))
        call.argument("task_count", RedisArgument(workflow.tasks.count))
        var roots = ""
        for (index, task) in workflow.tasks.enumerated() where task.dependencies.isEmpty {
            if !roots.isEmpty { roots += "," }
            roots += String(index)
        }
        call.argument("roots", RedisArgument(roots))
        call.argument("wmax", RedisArgument(settings.workflowEventLimit))
        call.argument("smax", RedisArgument(settings.clusterEventLimit))
        call.appendExtraArguments(capacity: 2 * fieldCount) { arguments in
            for (index, task) in workflow.tasks.enumerated() {
                for (field, value) in task.storedFields(index: index) {
                    arguments.append(RedisArgument(field.key(index)))
                    arguments.append(RedisArgument(value))
                }
            }
        }
        return call
    }

    /// The workflow with `id`, or `nil` when there is none (never submitted, deleted, expired).
    public func workflow(_ id: String) async throws(RedisError) -> StoredWorkflow? {
        try await StoredWorkflow(statusReply: redis.call(statusCall(id)))
    }

    /// Several workflows in one pipelined round trip; `nil` for those that do not exist.
    public func workflows(_ ids: [String]) async throws(RedisError) -> [StoredWorkflow?] {
        var found: [StoredWorkflow?] = []
        for reply in try await redis.call(pipelined: ids.map(statusCall)) { found.append(try StoredWorkflow(statusReply: reply)) }
        return found
    }

    private func statusCall(_ id: String) -> FunctionCall {
        let target = keys.workflow(id)
        var call = SchedulerLibrary.status.call()
        call.key("wf", target.hash)
        call.key("tasks", target.tasks)
        return call
    }

    /// Deletes a workflow and cancels whatever of it still runs. `false` when it does not exist.
    public func cancel(_ id: String) async throws(RedisError) -> Bool {
        let target = keys.workflow(id)
        let shard = target.shard
        var call = SchedulerLibrary.cancel.call()
        call.key("wf", target.hash)
        call.key("tasks", target.tasks)
        call.key("events", target.events)
        call.key("leases", shard.leases)
        call.key("delayed", shard.delayed)
        call.key("workflows", shard.workflows)
        for status: StaticString in ["pending", "running", "completed", "failed", "partial"] {
            call.key(status, shard.state("\(status)"))
        }
        call.key("shard_events", shard.events)
        call.argument("id", RedisArgument(id))
        call.argument("channel", RedisArgument(shard.notifyChannel))
        call.argument("wmax", RedisArgument(settings.workflowEventLimit))
        call.argument("smax", RedisArgument(settings.clusterEventLimit))
        call.argument("keep_events", RedisArgument(Int(settings.cancelledEventRetention.components.seconds)))
        return try await redis.call(call).decodeInt() == 1
    }

    /// Pending plus running workflows over all shards.
    public func activeCount() async throws(RedisError) -> Int {
        let commands: [[RedisArgument]] = keys.shards.flatMap { shard in
            [["ZCARD", RedisArgument(shard.state("pending"))], ["ZCARD", RedisArgument(shard.state("running"))]]
        }
        var total = 0
        for reply in try await redis.pipeline(commands) { total += try reply.decodeInt() }
        return total
    }

    /// Queue depths per shard, for operators, autoscaling and metrics.
    public func queueDepths() async throws(RedisError) -> [QueueDepth] {
        let commands: [[RedisArgument]] = keys.shards.flatMap { shard in
            [["LLEN", RedisArgument(shard.ready)], ["ZCARD", RedisArgument(shard.leases)], ["ZCARD", RedisArgument(shard.delayed)]]
        }
        let replies = try await redis.pipeline(commands)
        var depths: [QueueDepth] = []
        for index in keys.shards.indices {
            depths.append(
                QueueDepth(
                    shard: index,
                    ready: try replies[3 * index].decodeInt(),
                    running: try replies[3 * index + 1].decodeInt(),
                    delayed: try replies[3 * index + 2].decodeInt()
                ))
        }
        return depths
    }

    /// Checks that Redis answers.
    public func ping() async throws(RedisError) {
        _ = try await redis.send("PING")
    }
}

extension WorkflowStore.SubmitOutcome {
    init(reply: RESPValue) throws(RedisError) {
        let fields = try ReplyFields(reply)
        switch try fields.string("outcome") {
        case "created": self = .created(createdAt: Int64(try fields.int("created_at")))
        case "exists": self = .alreadyExists
        case let other: throw RedisError(.unexpectedReply, "submit answered '\(other.prefix(40))'")
        }
    }
}

/// The depth of one shard's queues.
public struct QueueDepth: Sendable, Hashable, Codable {
    /// The shard index.
    public var shard: Int
    /// Tasks ready and waiting for a worker.
    public var ready: Int
    /// Tasks running under a lease.
    public var running: Int
    /// Tasks waiting for a retry.
    public var delayed: Int
}

extension WorkflowStore {
    /// Workflows per status over all shards (those kept within the retention).
    public func workflowCounts() async throws(RedisError) -> [(status: String, count: Int)] {
        let statuses = ["pending", "running", "completed", "failed", "partial"]
        let commands: [[RedisArgument]] = keys.shards.flatMap { shard in statuses.map { ["ZCARD", RedisArgument(shard.state($0))] } }
        let replies = try await redis.pipeline(commands)
        var counts = [Int](repeating: 0, count: statuses.count)
        for (position, reply) in replies.enumerated() { counts[position % statuses.count] += try reply.decodeInt() }
        return zip(statuses, counts).map { ($0, $1) }
    }
}
