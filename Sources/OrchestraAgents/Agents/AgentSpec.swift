public import OrchestraAPI

/// A configured agent: who it is (id and role), which model it calls with which settings, and
/// its system prompt. The Swift counterpart of the seed's `AgentFactory.create_agent(...)` result;
/// make one with ``AgentFactory``.
///
/// An agent does not run anything itself: ``task(_:input:dependsOn:delegate:)`` turns an
/// instruction into the ``AgentTask`` a workflow carries, and a worker runs it.
public struct AgentSpec: Sendable, Hashable {
    /// The agent's id; becomes the task's `agent_id`.
    public var agentId: String
    /// The agent role, e.g. `backend` (free string; see ``AgentRole`` for the known ones).
    public var role: String
    /// Model to call; `nil` uses the configured default.
    public var llmModel: String?
    /// Sampling temperature, 0...2; `nil` uses the provider's default.
    public var temperature: Double?
    /// Completion token limit; `nil` uses the provider's default.
    public var maxTokens: Int?
    /// The agent's system prompt: the role's prompt from ``AgentPrompts``, or a custom one.
    public var systemPrompt: String
    /// Whether ``systemPrompt`` was given explicitly rather than taken from the role. Only a custom
    /// prompt is written into tasks; otherwise the worker applies the role's configured prompt.
    public var hasCustomSystemPrompt: Bool

    /// Creates a spec without checks; prefer ``AgentFactory/makeAgent(role:agentId:llmModel:temperature:maxTokens:systemPrompt:)``.
    public init(
        agentId: String,
        role: String,
        llmModel: String? = nil,
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        systemPrompt: String,
        hasCustomSystemPrompt: Bool = false
    ) {
        self.agentId = agentId
        self.role = role
        self.llmModel = llmModel
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.systemPrompt = systemPrompt
        self.hasCustomSystemPrompt = hasCustomSystemPrompt
    }

    /// The known role this agent has, if its role is one of the five built-in ones.
    public var knownRole: AgentRole? { AgentRole(agentRole: role) }

    /// The task this agent runs for `instruction` (`input_data.task`), with further structured
    /// `input`, waiting for `dependsOn`; `delegate` makes it plan and delegate (``TaskOptions/delegate``).
    public func task(_ instruction: String, input: JSONObject = [:], dependsOn: [String] = [], delegate: Bool = false) -> AgentTask {
        var inputData = input
        inputData["task"] = .string(instruction)
        return AgentTask(
            agentId: agentId,
            agentRole: role,
            inputData: inputData,
            dependsOn: dependsOn,
            options: TaskOptions(
                llmModel: llmModel, temperature: temperature, maxTokens: maxTokens,
                systemPrompt: hasCustomSystemPrompt ? systemPrompt : nil, delegate: delegate)
        )
    }
}
