import OrchestraAPI

/// Makes configured agents: the Swift API of the seed's
/// `AgentFactory.create_agent(role, agent_id, llm_model, temperature)`.
///
/// ```swift
/// let agent = try AgentFactory.makeAgent(role: "backend", agentId: "my-backend-agent", llmModel: "gpt-4o", temperature: 0.7)
/// let task = agent.task("Create the login endpoint")
/// ```
///
/// Arguments are checked with the same rules as a submitted task (id syntax, role length,
/// temperature 0...2, …), so every task an agent makes passes ``WorkflowValidator``.
public struct AgentFactory: Sendable {
    /// The prompts agents take their system prompt from.
    public var prompts: AgentPrompts

    /// A factory over `prompts` (the built-in ones by default; pass the configured ones to honour
    /// `AGENT_PROMPTS_FILE`).
    public init(prompts: AgentPrompts = .builtIn) {
        self.prompts = prompts
    }

    /// An agent with `role` and `agentId`; `systemPrompt` replaces the role's prompt.
    public func makeAgent(
        role: String,
        agentId: String,
        llmModel: String? = nil,
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        systemPrompt: String? = nil
    ) throws(AgentSpecError) -> AgentSpec {
        guard IdentifierSyntax.isValid(agentId) else { throw AgentSpecError(.invalidAgentId(agentId)) }
        let roleLength = role.unicodeScalars.count
        guard (1...64).contains(roleLength), !role.allSatisfy(\.isWhitespace) else { throw AgentSpecError(.invalidRole(role)) }
        if let llmModel, !(1...200).contains(llmModel.unicodeScalars.count) { throw AgentSpecError(.invalidModel) }
        if let temperature, !(0...2).contains(temperature) { throw AgentSpecError(.invalidTemperature(temperature)) }
        if let maxTokens, !(1...1_000_000).contains(maxTokens) { throw AgentSpecError(.invalidMaxTokens(maxTokens)) }
        if let systemPrompt, systemPrompt.allSatisfy(\.isWhitespace) { throw AgentSpecError(.emptySystemPrompt) }
        return AgentSpec(
            agentId: agentId,
            role: role,
            llmModel: llmModel,
            temperature: temperature,
            maxTokens: maxTokens,
            systemPrompt: systemPrompt ?? prompts.systemPrompt(for: role),
            hasCustomSystemPrompt: systemPrompt != nil
        )
    }

    /// An agent of a known `role`.
    public func makeAgent(
        role: AgentRole,
        agentId: String,
        llmModel: String? = nil,
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        systemPrompt: String? = nil
    ) throws(AgentSpecError) -> AgentSpec {
        try makeAgent(
            role: role.rawValue, agentId: agentId, llmModel: llmModel, temperature: temperature, maxTokens: maxTokens,
            systemPrompt: systemPrompt)
    }

    /// An agent with the built-in prompts (the seed's `AgentFactory.create_agent`).
    public static func makeAgent(
        role: String,
        agentId: String,
        llmModel: String? = nil,
        temperature: Double? = nil
    ) throws(AgentSpecError) -> AgentSpec {
        try AgentFactory().makeAgent(role: role, agentId: agentId, llmModel: llmModel, temperature: temperature)
    }
}
