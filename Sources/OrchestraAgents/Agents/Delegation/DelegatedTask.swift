public import OrchestraAPI

/// A task a delegating agent adds to its workflow: one per plan subtask, then the synthesis step.
/// The worker hands these to the scheduler's `TaskQueue.expand` as `TaskSubmission`s, field for
/// field (``inputJSON``, ``options``, ``dependencies``, ``dependsOnJSON``).
public struct DelegatedTask: Sendable, Hashable {
    /// Its `agent_id`.
    public var agentId: String
    /// Its `agent_role` (`coordinator` for the synthesis step).
    public var agentRole: String
    /// Its `input_data`: `{"task": <instruction>}`.
    public var inputData: JSONObject
    /// Its execution options: the delegating task's model, temperature, token limit and timeout;
    /// never a system prompt override and never delegation (plans do not nest).
    public var options: TaskOptions
    /// Positions of earlier entries of the same expansion whose outputs it needs. Empty means it
    /// starts when the delegating task completes (the scheduler makes it wait for that task).
    public var dependencies: [Int]
    /// `depends_on` as shown in its status: its plan dependencies, or the delegating task's `agent_id`
    /// when it has none.
    public var dependsOn: [String]
    /// Whether this is the synthesis step (always the last entry of an expansion).
    public var isSynthesis: Bool

    /// Creates a delegated task.
    public init(
        agentId: String,
        agentRole: String,
        inputData: JSONObject,
        options: TaskOptions,
        dependencies: [Int],
        dependsOn: [String],
        isSynthesis: Bool
    ) {
        self.agentId = agentId
        self.agentRole = agentRole
        self.inputData = inputData
        self.options = options
        self.dependencies = dependencies
        self.dependsOn = dependsOn
        self.isSynthesis = isSynthesis
    }

    /// ``inputData`` as compact JSON, as the scheduler stores it.
    public var inputJSON: String { JSONValue.object(inputData).compactJSONString }
    /// ``dependsOn`` as a JSON array.
    public var dependsOnJSON: String { JSONValue.array(dependsOn.map(JSONValue.string)).compactJSONString }
}
