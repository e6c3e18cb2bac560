public import OrchestraAPI

/// A validated workflow, ready to be written to Redis: the scheduler's input.
public struct WorkflowSubmission: Sendable, Hashable {
    /// The workflow id.
    public var id: String
    /// `sequential`, `parallel` or `graph`.
    public var type: String
    /// `metadata` as compact JSON; empty for none.
    public var metadataJSON: String
    /// The tasks in request order.
    public var tasks: [TaskSubmission]

    /// A submission.
    public init(id: String, type: String, metadataJSON: String, tasks: [TaskSubmission]) {
        self.id = id
        self.type = type
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
    /// `input_data` as compact JSON.
    public var inputJSON: String
    /// Its execution options (API.md §5).
    public var options: TaskOptions
    /// Indices of the tasks whose outputs this one waits for (sequential: the previous one).
    public var dependencies: [Int]
    /// Indices of the tasks that wait for this one.
    public var dependents: [Int]
    /// `depends_on` as submitted, a JSON array; empty when it was empty.
    public var dependsOnJSON: String
    /// Attempts allowed.
    public var maxAttempts: Int

    /// A task.
    public init(
        agentID: String,
        role: String,
        inputJSON: String,
        options: TaskOptions = TaskOptions(),
        dependencies: [Int] = [],
        dependents: [Int] = [],
        dependsOnJSON: String = "",
        maxAttempts: Int
    ) {
        self.agentID = agentID
        self.role = role
        self.inputJSON = inputJSON
        self.options = options
        self.dependencies = dependencies
        self.dependents = dependents
        self.dependsOnJSON = dependsOnJSON
        self.maxAttempts = maxAttempts
    }

    /// The task's fields as stored at submit (``TaskField``), for task `index`.
    func storedFields(index: Int) -> [(TaskField, String)] {
        var fields: [(TaskField, String)] = [
            (.agentID, agentID), (.role, role), (.input, inputJSON), (.status, "pending"), (.maxAttempts, String(maxAttempts)),
        ]
        if !dependencies.isEmpty {
            fields.append((.dependencies, dependencies.map(String.init).joined(separator: ",")))
            fields.append((.waiting, String(dependencies.count)))
        }
        if !dependents.isEmpty { fields.append((.dependents, dependents.map(String.init).joined(separator: ","))) }
        if !dependsOnJSON.isEmpty, dependsOnJSON != "[]" { fields.append((.dependsOn, dependsOnJSON)) }
        fields += options.fields
        return fields
    }
}
