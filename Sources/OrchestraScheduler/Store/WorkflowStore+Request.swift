public import OrchestraAPI
public import OrchestraRedis

/// A workflow as it was submitted: what a client needs to show each task's instruction and
/// options, and to submit the same workflow again.
public struct SubmittedWorkflow: Sendable, Hashable {
    /// The workflow id.
    public var id: String
    /// `sequential`, `parallel` or `graph`.
    public var type: String
    /// `metadata` as JSON text (`{}` when none was given).
    public var metadataJSON: String
    /// Every task in index order: the submitted ones, then those that delegating tasks added.
    public var tasks: [SubmittedTask]
}

/// One task as submitted (or as a delegating task's plan added it).
public struct SubmittedTask: Sendable, Hashable {
    /// 0-based position in the workflow.
    public var index: Int
    /// `agent_id`.
    public var agentID: String
    /// `agent_role`.
    public var role: String
    /// `input_data` as JSON text.
    public var inputJSON: String?
    /// `depends_on` as JSON text; `nil` when empty.
    public var dependsOnJSON: String?
    /// Attempts allowed, as stored.
    public var maxAttempts: Int?
    /// The options that were set.
    public var options: TaskOptions
    /// The index of the delegating task whose plan added this one; `nil` for a submitted task.
    public var addedBy: Int?
}

extension WorkflowStore {
    /// The fields of a task that its submission set.
    static let submittedFields: [TaskField] = [
        .agentID, .role, .input, .dependsOn, .maxAttempts, .llmModel, .temperature, .maxTokens, .systemPrompt, .timeoutSeconds,
        .delegate, .expanded,
    ]

    /// The workflow with `id` as submitted, or `nil` when there is none. Two reads of immutable
    /// fields (a task's submitted fields never change; delegation only appends tasks, and a task
    /// added between the reads is simply not included).
    public func submitted(_ id: String) async throws(RedisError) -> SubmittedWorkflow? {
        let target = keys.workflow(id)
        let head = try await redis.send(
            "HMGET", RedisArgument(target.hash), RedisArgument(WorkflowField.taskCount.rawValue),
            RedisArgument(WorkflowField.type.rawValue), RedisArgument(WorkflowField.metadata.rawValue)
        ).decodeArray()
        guard head.count == 3, let countText = try head[0].decodeOptionalString(), let count = Int(countText) else { return nil }
        let type = try head[1].decodeOptionalString() ?? ""
        let metadata = try head[2].decodeOptionalString() ?? "{}"
        guard count > 0 else { return SubmittedWorkflow(id: id, type: type, metadataJSON: metadata, tasks: []) }
        var command: [RedisArgument] = ["HMGET", RedisArgument(target.tasks)]
        command.reserveCapacity(2 + count * Self.submittedFields.count)
        for index in 0..<count {
            for field in Self.submittedFields { command.append(RedisArgument(field.key(index))) }
        }
        let values = try await redis.send(command).decodeArray()
        guard values.count == count * Self.submittedFields.count else {
            throw RedisError(.unexpectedReply, "HMGET answered \(values.count) values")
        }
        var tasks: [SubmittedTask] = []
        var addedBy: [Int: Int] = [:]
        for index in 0..<count {
            var fields: [TaskField: String] = [:]
            for (offset, field) in Self.submittedFields.enumerated() {
                if let value = try values[index * Self.submittedFields.count + offset].decodeOptionalString() { fields[field] = value }
            }
            // `<first>:<count>` on a delegating task: the tasks its plan added.
            if let expanded = fields[.expanded], let colon = expanded.firstIndex(of: ":"),
                let first = Int(expanded[..<colon]), let added = Int(expanded[expanded.index(after: colon)...]), added > 0
            {
                for child in first..<(first + added) { addedBy[child] = index }
            }
            tasks.append(
                SubmittedTask(
                    index: index, agentID: fields[.agentID] ?? "", role: fields[.role] ?? "", inputJSON: fields[.input],
                    dependsOnJSON: fields[.dependsOn], maxAttempts: fields[.maxAttempts].flatMap { Int($0) },
                    options: TaskOptions(stored: { fields[$0] }), addedBy: nil))
        }
        for index in tasks.indices { tasks[index].addedBy = addedBy[index] }
        return SubmittedWorkflow(id: id, type: type, metadataJSON: metadata, tasks: tasks)
    }

    /// Workflows in each status (`pending`, `running`, `completed`, `failed`, `partial`) over all
    /// shards, in one round trip.
    public func countsByStatus() async throws(RedisError) -> [(status: String, count: Int)] {
        let statuses = ["pending", "running", "completed", "failed", "partial"]
        let commands: [[RedisArgument]] = keys.shards.flatMap { shard in
            statuses.map { ["ZCARD", RedisArgument(shard.state($0))] }
        }
        let replies = try await redis.pipeline(commands)
        var counts = Array(repeating: 0, count: statuses.count)
        for (position, reply) in replies.enumerated() { counts[position % statuses.count] += try reply.decodeInt() }
        return Array(zip(statuses, counts)).map { (status: $0.0, count: $0.1) }
    }
}
