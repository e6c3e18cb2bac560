/// The state of one task as returned by the API (`TaskStatus`).
///
/// Encoding writes `started_at`, `completed_at`, `result` and `error` as JSON `null` when unset,
/// as the Phase 2 clients expect; the optional additions are written only when set.
public struct TaskStatus: Sendable, Hashable, Codable {
    /// `"{workflow_id}-task-{i}"`, `i` the task's 0-based position in the request.
    public var taskId: String
    /// As submitted.
    public var agentId: String
    /// As submitted.
    public var agentRole: String
    /// One of the four task states.
    public var status: TaskState
    /// When a worker first started the task.
    public var startedAt: Timestamp?
    /// When the task reached `completed` or `failed`.
    public var completedAt: Timestamp?
    /// The task's result object, once completed.
    public var result: JSONObject?
    /// Why the task failed.
    public var error: String?

    /// Addition: attempts made so far.
    public var attempts: Int?
    /// Addition: the worker that ran (or runs) the task.
    public var workerId: String?
    /// Addition: the model that answered.
    public var model: String?
    /// Addition: the provider that answered, e.g. `openai` or `echo`.
    public var provider: String?
    /// Addition: token usage of the call that produced the result.
    public var usage: TokenUsage?
    /// Addition: the agent ids this task depends on.
    public var dependsOn: [String]?

    /// Creates a task status.
    public init(
        taskId: String,
        agentId: String,
        agentRole: String,
        status: TaskState = .pending,
        startedAt: Timestamp? = nil,
        completedAt: Timestamp? = nil,
        result: JSONObject? = nil,
        error: String? = nil,
        attempts: Int? = nil,
        workerId: String? = nil,
        model: String? = nil,
        provider: String? = nil,
        usage: TokenUsage? = nil,
        dependsOn: [String]? = nil
    ) {
        self.taskId = taskId
        self.agentId = agentId
        self.agentRole = agentRole
        self.status = status
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.result = result
        self.error = error
        self.attempts = attempts
        self.workerId = workerId
        self.model = model
        self.provider = provider
        self.usage = usage
        self.dependsOn = dependsOn
    }

    enum CodingKeys: String, CodingKey {
        case taskId = "task_id"
        case agentId = "agent_id"
        case agentRole = "agent_role"
        case status
        case startedAt = "started_at"
        case completedAt = "completed_at"
        case result
        case error
        case attempts
        case workerId = "worker_id"
        case model
        case provider
        case usage
        case dependsOn = "depends_on"
    }

    /// Encodes the contract fields (nulls included) and the additions that are set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(taskId, forKey: .taskId)
        try container.encode(agentId, forKey: .agentId)
        try container.encode(agentRole, forKey: .agentRole)
        try container.encode(status, forKey: .status)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(completedAt, forKey: .completedAt)
        try container.encode(result, forKey: .result)
        try container.encode(error, forKey: .error)
        try container.encodeIfPresent(attempts, forKey: .attempts)
        try container.encodeIfPresent(workerId, forKey: .workerId)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encodeIfPresent(provider, forKey: .provider)
        try container.encodeIfPresent(usage, forKey: .usage)
        try container.encodeIfPresent(dependsOn, forKey: .dependsOn)
    }
}
