import OrchestraAPI

/// ``AgentFactory`` was given an argument a task could not carry.
public struct AgentSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: Hashable, Sendable {
        case invalidAgentId(String)
        case invalidRole(String)
        case invalidModel
        case invalidTemperature(Double)
        case invalidMaxTokens(Int)
        case emptySystemPrompt
    }

    let code: Code

    init(_ code: Code) {
        self.code = code
    }

    /// The argument at fault: `agent_id`, `agent_role`, `llm_model`, `temperature`, `max_tokens` or `system_prompt`.
    public var field: String {
        switch code {
        case .invalidAgentId: return "agent_id"
        case .invalidRole: return "agent_role"
        case .invalidModel: return "llm_model"
        case .invalidTemperature: return "temperature"
        case .invalidMaxTokens: return "max_tokens"
        case .emptySystemPrompt: return "system_prompt"
        }
    }

    /// What is wrong with it.
    public var description: String {
        switch code {
        case .invalidAgentId(let id):
            return "agent_id '\(id.prefix(140))' must be 1 to \(IdentifierSyntax.maxLength) characters of \(IdentifierSyntax.pattern)"
        case .invalidRole:
            return "agent_role must be 1 to 64 characters and not blank"
        case .invalidModel:
            return "llm_model must be 1 to 200 characters"
        case .invalidTemperature(let value):
            return "temperature \(value) is outside 0...2"
        case .invalidMaxTokens(let value):
            return "max_tokens \(value) is outside 1...1000000"
        case .emptySystemPrompt:
            return "system_prompt must not be blank"
        }
    }
}
