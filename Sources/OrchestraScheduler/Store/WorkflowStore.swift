public import OrchestraRedis

/// The gateway's side of the scheduler: atomic submit, reads, listing, cancellation and the
/// health count. Keeps no state of its own: any gateway serves any workflow.
public final class WorkflowStore: Sendable {
    /// The key schema in use.
    public let keys: KeySchema
    let redis: RedisClient

    /// A store over `redis`.
    public init(redis: RedisClient, keys: KeySchema) {
        self.redis = redis
        self.keys = keys
    }

    /// What a submission found.
    public enum SubmitOutcome: Sendable, Hashable {
        /// Written, with its roots queued.
        case created
        /// A workflow with this id exists; nothing was written.
        case alreadyExists
    }

    /// Writes the workflow, its tasks and its ready roots in one script: all or nothing.
    public func submit(_ workflow: WorkflowSubmission) async throws(RedisError) -> SubmitOutcome {
        let target = keys.workflow(workflow.id)
        let roots = workflow.tasks.indices.filter { workflow.tasks[$0].dependencies.isEmpty }
        var arguments: [RedisArgument] = [
            RedisArgument(workflow.id), RedisArgument(workflow.type), RedisArgument(Int(workflow.createdAt)),
            RedisArgument(workflow.metadataJSON), RedisArgument(workflow.tasks.count), RedisArgument(roots.count),
        ]
        arguments.reserveCapacity(arguments.count + roots.count + workflow.tasks.count * 22)
        for root in roots { arguments.append(RedisArgument(root)) }
        for (index, task) in workflow.tasks.enumerated() {
            let field = { (name: String) in RedisArgument("\(index):\(name)") }
            arguments += [
                field("agent_id"), RedisArgument(task.agentID),
                field("role"), RedisArgument(task.role),
                field("input"), RedisArgument(task.inputJSON),
                field("options"), RedisArgument(task.optionsJSON),
                field("deps"), RedisArgument(task.dependencies.map(String.init).joined(separator: ",")),
                field("dependents"), RedisArgument(task.dependents.map(String.init).joined(separator: ",")),
                field("waiting"), RedisArgument(task.dependencies.count),
                field("status"), "pending",
                field("attempts"), 0,
                field("max_attempts"), RedisArgument(task.maxAttempts),
                field("depends_on"), RedisArgument(task.dependsOnJSON),
            ]
        }
        let reply = try await redis.run(
            SchedulerScripts.submit,
            keys: [
                RedisArgument(target.hash), RedisArgument(target.tasks), RedisArgument(target.shard.ready),
                RedisArgument(target.shard.workflows), RedisArgument(target.shard.state("pending")),
            ],
            arguments: arguments
        )
        return reply.int == 1 ? .created : .alreadyExists
    }

    /// The workflow with `id`, or `nil` when there is none (never submitted, deleted, expired).
    public func workflow(_ id: String) async throws(RedisError) -> StoredWorkflow? {
        try await workflows([id]).first ?? nil
    }

    /// Several workflows in one pipelined round trip; `nil` for those that do not exist.
    public func workflows(_ ids: [String]) async throws(RedisError) -> [StoredWorkflow?] {
        guard !ids.isEmpty else { return [] }
        var commands: [[RedisArgument]] = []
        commands.reserveCapacity(ids.count * 2)
        for id in ids {
            let target = keys.workflow(id)
            commands.append(["HGETALL", RedisArgument(target.hash)])
            commands.append(["HGETALL", RedisArgument(target.tasks)])
        }
        let replies = try await redis.pipeline(commands)
        return ids.indices.map { position in
            StoredWorkflow(hash: Self.dictionary(replies[2 * position]), tasks: Self.dictionary(replies[2 * position + 1]))
        }
    }

    /// Workflows newest first, optionally only those in `status`, skipping `offset`. Each shard
    /// is read only as deep as the page needs, so the cost does not grow with the number stored.
    public func list(status: String?, limit: Int, offset: Int = 0) async throws(RedisError) -> [StoredWorkflow] {
        guard limit > 0 else { return [] }
        let depth = offset + limit
        let indexKeys = keys.shards.map { shard in status.map(shard.state) ?? shard.workflows }
        let replies = try await redis.pipeline(
            indexKeys.map { ["ZREVRANGE", RedisArgument($0), 0, RedisArgument(depth - 1), "WITHSCORES"] }
        )
        var entries: [(id: String, score: Double, index: String)] = []
        for (key, reply) in zip(indexKeys, replies) {
            let flat = reply.array ?? []
            var position = 0
            while position + 1 < flat.count {
                if let id = flat[position].string, let score = flat[position + 1].string.flatMap(Double.init) {
                    entries.append((id, score, key))
                }
                position += 2
            }
        }
        entries.sort { $0.score != $1.score ? $0.score > $1.score : $0.id > $1.id }
        let page = Array(entries.dropFirst(offset).prefix(limit))
        let found = try await workflows(page.map(\.id))
        var result: [StoredWorkflow] = []
        var dangling: [[RedisArgument]] = []
        for (entry, workflow) in zip(page, found) {
            if let workflow {
                result.append(workflow)
            } else {
                dangling.append(["ZREM", RedisArgument(entry.index), RedisArgument(entry.id)])
            }
        }
        // Expired workflows leave their index entries behind; drop them as they are met.
        if !dangling.isEmpty { _ = try await redis.pipeline(dangling) }
        return result
    }

    /// Deletes a workflow and cancels whatever of it still runs. `false` when it does not exist.
    public func cancel(_ id: String) async throws(RedisError) -> Bool {
        let target = keys.workflow(id)
        let shard = target.shard
        let reply = try await redis.run(
            SchedulerScripts.cancel,
            keys: [
                RedisArgument(target.hash), RedisArgument(target.tasks), RedisArgument(shard.leases), RedisArgument(shard.delayed),
                RedisArgument(shard.workflows),
            ] + shard.states,
            arguments: [RedisArgument(id), RedisArgument(keys.notifyChannel)]
        )
        return reply.int == 1
    }

    /// Pending plus running workflows over all shards.
    public func activeCount() async throws(RedisError) -> Int {
        let commands: [[RedisArgument]] = keys.shards.flatMap { shard in
            [["ZCARD", RedisArgument(shard.state("pending"))], ["ZCARD", RedisArgument(shard.state("running"))]]
        }
        return try await redis.pipeline(commands).reduce(0) { $0 + ($1.int ?? 0) }
    }

    /// Queue depths per shard, for operators and metrics.
    public func queueDepths() async throws(RedisError) -> [QueueDepth] {
        let commands: [[RedisArgument]] = keys.shards.flatMap { shard in
            [["LLEN", RedisArgument(shard.ready)], ["ZCARD", RedisArgument(shard.leases)], ["ZCARD", RedisArgument(shard.delayed)]]
        }
        let replies = try await redis.pipeline(commands)
        return keys.shards.indices.map { index in
            QueueDepth(
                shard: index,
                ready: replies[3 * index].int ?? 0,
                running: replies[3 * index + 1].int ?? 0,
                delayed: replies[3 * index + 2].int ?? 0
            )
        }
    }

    /// Checks that Redis answers.
    public func ping() async throws(RedisError) {
        _ = try await redis.send("PING")
    }

    static func dictionary(_ reply: RESPValue) -> [String: String] {
        guard let flat = reply.array, !flat.isEmpty else { return [:] }
        var result: [String: String] = [:]
        result.reserveCapacity(flat.count / 2)
        var position = 0
        while position + 1 < flat.count {
            if let key = flat[position].string { result[key] = flat[position + 1].string ?? "" }
            position += 2
        }
        return result
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
