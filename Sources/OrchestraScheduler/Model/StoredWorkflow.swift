import OrchestraRedis

/// A workflow as stored in Redis, read back in one call (``SchedulerLibrary/status``): what a
/// status response shows and nothing more.
public struct StoredWorkflow: Sendable, Hashable {
    /// The workflow id.
    public var id: String
    /// `sequential`, `parallel` or `graph`.
    public var type: String
    /// `pending`, `running`, `completed`, `failed` or `partial`.
    public var status: String
    /// Epoch milliseconds (server time).
    public var createdAt: Int64
    /// When its first task started.
    public var startedAt: Int64?
    /// When its last task ended.
    public var completedAt: Int64?
    /// `metadata` as JSON text (`{}` when none was given).
    public var metadataJSON: String
    /// Token totals over its completed tasks.
    public var promptTokens: Int
    /// Token totals over its completed tasks.
    public var completionTokens: Int
    /// Its tasks in request order (delegated ones after them).
    public var tasks: [StoredTask]
}

/// A task as stored in Redis.
public struct StoredTask: Sendable, Hashable {
    /// 0-based position in the workflow.
    public var index: Int
    /// `agent_id`.
    public var agentID: String
    /// `agent_role`.
    public var role: String
    /// The internal state: `pending`, `queued`, `delayed`, `running`, `completed`, `failed`.
    public var state: String
    /// Epoch milliseconds of its first start.
    public var startedAt: Int64?
    /// Epoch milliseconds of its end.
    public var completedAt: Int64?
    /// The error of a failed task (or the last error of a task waiting for a retry).
    public var error: String?
    /// Attempts so far.
    public var attempts: Int
    /// The worker that ran (or runs) it.
    public var workerID: String?
    /// Indices of the tasks whose outputs it received.
    public var dependencies: [Int]
    /// `depends_on` as submitted, as JSON text; `nil` when empty.
    public var dependsOnJSON: String?
    /// Whether it delegates.
    public var delegates: Bool
    /// `input_data` as JSON text (completed tasks only).
    public var inputJSON: String?
    /// Its answer (completed tasks only).
    public var answer: TaskAnswer?
    /// A delegating task's plan as JSON text (completed tasks only).
    public var planJSON: String?

    /// The API status: `pending` (waiting, queued or delayed for a retry), `running`, `completed`
    /// or `failed`.
    public var status: String {
        switch state {
        case "running", "completed", "failed": state
        default: "pending"
        }
    }
}

extension StoredWorkflow {
    /// Decodes a ``SchedulerLibrary/status`` reply; `nil` for a null reply (no such workflow).
    init?(statusReply reply: RESPValue) throws(RedisError) {
        guard let parts = try reply.decodeOptionalArray() else { return nil }
        let top = try ReplyFields(elements: parts)
        let hash = try ReplyFields(elements: top.array("workflow") ?? [])
        func value(_ field: WorkflowField) -> String? { hash.optionalString(field.rawValue) }
        guard let id = value(.id) else { throw RedisError(.unexpectedReply, "status reply without workflow_id") }
        self.id = id
        self.type = value(.type) ?? ""
        self.status = value(.status) ?? "pending"
        self.createdAt = value(.createdAt).flatMap { Int64($0) } ?? 0
        self.startedAt = value(.startedAt).flatMap { Int64($0) }
        self.completedAt = value(.completedAt).flatMap { Int64($0) }
        self.metadataJSON = value(.metadata) ?? "{}"
        self.promptTokens = value(.promptTokens).flatMap { Int($0) } ?? 0
        self.completionTokens = value(.completionTokens).flatMap { Int($0) } ?? 0
        var tasks: [StoredTask] = []
        let elements = try top.array("tasks") ?? []
        tasks.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            tasks.append(try StoredTask(index: index, fields: ReplyFields(element)))
        }
        self.tasks = tasks
    }
}

extension StoredTask {
    init(index: Int, fields: ReplyFields) throws(RedisError) {
        func field(_ name: TaskField) -> String? { fields.optionalString(name.rawValue) }
        var answer: TaskAnswer?
        if let provider = field(.provider) {
            answer = TaskAnswer(
                output: field(.output) ?? "", provider: provider, model: field(.model) ?? "",
                promptTokens: field(.promptTokens).flatMap { Int($0) }, completionTokens: field(.completionTokens).flatMap { Int($0) })
        }
        self.init(
            index: index,
            agentID: field(.agentID) ?? "",
            role: field(.role) ?? "",
            state: field(.status) ?? "pending",
            startedAt: field(.startedAt).flatMap { Int64($0) },
            completedAt: field(.completedAt).flatMap { Int64($0) },
            error: field(.error).flatMap { $0.isEmpty ? nil : $0 },
            attempts: field(.attempts).flatMap { Int($0) } ?? 0,
            workerID: field(.worker),
            dependencies: (field(.dependencies) ?? "").split(separator: ",").compactMap { Int($0) },
            dependsOnJSON: field(.dependsOn),
            delegates: field(.delegate) == "1",
            inputJSON: field(.input),
            answer: answer,
            planJSON: field(.plan)
        )
    }
}
