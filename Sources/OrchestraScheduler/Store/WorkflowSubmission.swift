/// A validated workflow, ready to be written to Redis: the scheduler's input.
public struct WorkflowSubmission: Sendable, Hashable {
    /// The workflow id.
    public var id: String
    /// `sequential`, `parallel` or `graph`.
    public var type: String
    /// Creation time, epoch milliseconds.
    public var createdAt: Int64
    /// `metadata` as JSON text.
    public var metadataJSON: String
    /// The tasks in request order.
    public var tasks: [TaskSubmission]

    /// A submission.
    public init(id: String, type: String, createdAt: Int64, metadataJSON: String, tasks: [TaskSubmission]) {
        self.id = id
        self.type = type
        self.createdAt = createdAt
        self.metadataJSON = metadataJSON
        self.tasks = tasks
    }
}

/// One task of a ``WorkflowSubmission``.
public struct TaskSubmission: Sendable, Hashable {
    /// `agent_id`.
    public var agentID: String
    /// `agent_role`.
    public var role: String
    /// `input_data` as JSON text.
    public var inputJSON: String
    /// Optional per-task settings as JSON text (empty for none).
    public var optionsJSON: String
    /// Indices of the tasks whose outputs this one waits for (sequential: the previous one).
    public var dependencies: [Int]
    /// Indices of the tasks that wait for this one.
    public var dependents: [Int]
    /// `depends_on` as submitted, as a JSON array.
    public var dependsOnJSON: String
    /// Attempts allowed.
    public var maxAttempts: Int

    /// A task.
    public init(
        agentID: String,
        role: String,
        inputJSON: String,
        optionsJSON: String,
        dependencies: [Int],
        dependents: [Int],
        dependsOnJSON: String,
        maxAttempts: Int
    ) {
        self.agentID = agentID
        self.role = role
        self.inputJSON = inputJSON
        self.optionsJSON = optionsJSON
        self.dependencies = dependencies
        self.dependents = dependents
        self.dependsOnJSON = dependsOnJSON
        self.maxAttempts = maxAttempts
    }
}
