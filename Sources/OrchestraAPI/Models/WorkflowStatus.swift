/// The state of a workflow as returned by the API (`WorkflowStatus`).
///
/// Encoding writes `started_at` and `completed_at` as JSON `null` when unset; the optional
/// additions (`usage`, `error`) are written only when set.
public struct WorkflowStatus: Sendable, Hashable, Codable {
    /// The workflow's id.
    public var workflowId: String
    /// How its tasks are ordered.
    public var workflowType: WorkflowType
    /// One of the five workflow states.
    public var status: WorkflowState
    /// When it was accepted.
    public var createdAt: Timestamp
    /// When its first task started.
    public var startedAt: Timestamp?
    /// When it reached a terminal state.
    public var completedAt: Timestamp?
    /// Its tasks, in request order.
    public var tasks: [TaskStatus]
    /// The metadata as submitted.
    public var metadata: JSONObject
    /// Addition: token usage summed over its tasks.
    public var usage: TokenUsage?
    /// Addition: why it failed or was cancelled.
    public var error: String?

    /// Creates a workflow status.
    public init(
        workflowId: String,
        workflowType: WorkflowType,
        status: WorkflowState = .pending,
        createdAt: Timestamp,
        startedAt: Timestamp? = nil,
        completedAt: Timestamp? = nil,
        tasks: [TaskStatus],
        metadata: JSONObject = [:],
        usage: TokenUsage? = nil,
        error: String? = nil
    ) {
        self.workflowId = workflowId
        self.workflowType = workflowType
        self.status = status
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.tasks = tasks
        self.metadata = metadata
        self.usage = usage
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case workflowId = "workflow_id"
        case workflowType = "workflow_type"
        case status
        case createdAt = "created_at"
        case startedAt = "started_at"
        case completedAt = "completed_at"
        case tasks
        case metadata
        case usage
        case error
    }

    /// Encodes the contract fields (nulls included) and the additions that are set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(workflowId, forKey: .workflowId)
        try container.encode(workflowType, forKey: .workflowType)
        try container.encode(status, forKey: .status)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(completedAt, forKey: .completedAt)
        try container.encode(tasks, forKey: .tasks)
        try container.encode(metadata, forKey: .metadata)
        try container.encodeIfPresent(usage, forKey: .usage)
        try container.encodeIfPresent(error, forKey: .error)
    }
}
