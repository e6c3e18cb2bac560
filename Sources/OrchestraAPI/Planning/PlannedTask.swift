/// One task of a ``WorkflowPlan``: its id and its edges as request indices.
public struct PlannedTask: Sendable, Hashable {
    /// 0-based position in the request.
    public var index: Int
    /// `"{workflow_id}-task-{index}"`.
    public var taskId: String
    /// The submitted `agent_id`.
    public var agentId: String
    /// Indices of the tasks whose outputs this one needs, without repeats, in `depends_on` order
    /// (sequential: the previous task; parallel: none).
    public var dependencies: [Int]
    /// Indices of the tasks that need this one's output, ascending.
    public var dependents: [Int]

    /// Creates a planned task.
    public init(index: Int, taskId: String, agentId: String, dependencies: [Int], dependents: [Int]) {
        self.index = index
        self.taskId = taskId
        self.agentId = agentId
        self.dependencies = dependencies
        self.dependents = dependents
    }

    /// Whether the task can start as soon as the workflow is submitted.
    public var isRoot: Bool { dependencies.isEmpty }
}
