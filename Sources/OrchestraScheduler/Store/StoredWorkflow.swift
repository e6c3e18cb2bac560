/// A workflow as stored in Redis, read back in one round trip.
public struct StoredWorkflow: Sendable, Hashable {
    /// The workflow id.
    public var id: String
    /// `sequential`, `parallel` or `graph`.
    public var type: String
    /// `pending`, `running`, `completed`, `failed` or `partial`.
    public var status: String
    /// Epoch milliseconds.
    public var createdAt: Int64
    /// When its first task started, epoch milliseconds.
    public var startedAt: Int64?
    /// When its last task ended, epoch milliseconds.
    public var completedAt: Int64?
    /// `metadata` as JSON text.
    public var metadataJSON: String
    /// Token totals over its completed tasks.
    public var promptTokens: Int
    /// Token totals over its completed tasks.
    public var completionTokens: Int
    /// Its tasks in request order.
    public var tasks: [StoredTask]
}

/// A task as stored in Redis.
public struct StoredTask: Sendable, Hashable {
    /// 0-based position in the request.
    public var index: Int
    /// `agent_id`.
    public var agentID: String
    /// `agent_role`.
    public var role: String
    /// The API status: `pending` (waiting, queued or delayed for a retry), `running`,
    /// `completed` or `failed`.
    public var status: String
    /// The internal state: `pending`, `queued`, `delayed`, `running`, `completed`, `failed`.
    public var state: String
    /// Epoch milliseconds of its first start.
    public var startedAt: Int64?
    /// Epoch milliseconds of its end.
    public var completedAt: Int64?
    /// The result object as JSON text.
    public var resultJSON: String?
    /// The error of a failed task (or the last error of a task waiting for a retry).
    public var error: String?
    /// Attempts so far.
    public var attempts: Int
    /// The worker that ran (or runs) it.
    public var workerID: String?
    /// `depends_on` as submitted, as JSON text.
    public var dependsOnJSON: String?
}

extension StoredWorkflow {
    /// Builds a workflow from the two hashes' `HGETALL` replies; `nil` when the workflow is gone.
    init?(hash: [String: String], tasks fields: [String: String]) {
        guard let id = hash["workflow_id"], let count = hash["task_count"].flatMap(Int.init) else { return nil }
        self.id = id
        self.type = hash["workflow_type"] ?? ""
        self.status = hash["status"] ?? "pending"
        self.createdAt = hash["created_at"].flatMap(Int64.init) ?? 0
        self.startedAt = hash["started_at"].flatMap(Int64.init)
        self.completedAt = hash["completed_at"].flatMap(Int64.init)
        self.metadataJSON = hash["metadata"] ?? "{}"
        self.promptTokens = hash["prompt_tokens"].flatMap(Int.init) ?? 0
        self.completionTokens = hash["completion_tokens"].flatMap(Int.init) ?? 0
        self.tasks = (0..<count).map { index in
            let field = { (name: String) in fields["\(index):\(name)"] }
            let state = field("status") ?? "pending"
            let status =
                switch state {
                case "running", "completed", "failed": state
                default: "pending"
                }
            return StoredTask(
                index: index,
                agentID: field("agent_id") ?? "",
                role: field("role") ?? "",
                status: status,
                state: state,
                startedAt: field("started_at").flatMap(Int64.init),
                completedAt: field("completed_at").flatMap(Int64.init),
                resultJSON: field("result"),
                error: field("error"),
                attempts: field("attempts").flatMap(Int.init) ?? 0,
                workerID: field("worker"),
                dependsOnJSON: field("depends_on")
            )
        }
    }
}
