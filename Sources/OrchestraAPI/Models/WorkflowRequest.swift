/// The body of `POST /run-graph`.
///
/// Build it through ``WorkflowValidator``; the memberwise initialiser does not validate.
public struct WorkflowRequest: Sendable, Hashable, Codable {
    /// The workflow id as submitted; `nil` when the server is to generate one.
    public var workflowId: String?
    /// How tasks are ordered.
    public var workflowType: WorkflowType
    /// The tasks, in request order (task `i` gets id `{workflow_id}-task-{i}`).
    public var tasks: [AgentTask]
    /// Free metadata, stored and returned as given.
    public var metadata: JSONObject

    /// Creates a request.
    public init(workflowId: String? = nil, workflowType: WorkflowType, tasks: [AgentTask], metadata: JSONObject = [:]) {
        self.workflowId = workflowId
        self.workflowType = workflowType
        self.tasks = tasks
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case workflowId = "workflow_id"
        case workflowType = "workflow_type"
        case tasks
        case metadata
    }

    /// Decodes without the submission checks (for stored, already validated requests).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            workflowId: try container.decodeIfPresent(String.self, forKey: .workflowId),
            workflowType: try container.decode(WorkflowType.self, forKey: .workflowType),
            tasks: try container.decode([AgentTask].self, forKey: .tasks),
            metadata: try container.decodeIfPresent(JSONObject.self, forKey: .metadata) ?? [:]
        )
    }
}
