/// One call to a language model, after routing has picked the provider.
///
/// The prompts are what the provider sees. `agentID`, `agentRole`, `instruction` and `dependencyIDs`
/// describe the task the prompt was built from; real providers ignore them, the offline
/// ``EchoProvider`` answers with them so results stay readable without a model.
public struct LLMRequest: Sendable, Hashable {
    /// The form of answer the caller expects.
    public enum ResponseFormat: Sendable, Hashable {
        /// Free text (the default).
        case text
        /// A delegating agent's plan: a JSON object that `CoordinatorPlan.parse` accepts. The system
        /// prompt says so (`CoordinatorDelegation`); ``EchoProvider`` answers with a deterministic valid plan.
        case coordinatorPlan
    }

    /// The provider-specific model name (for `openai-compatible/llama3.1` this is `llama3.1`).
    public var model: String
    /// The agent's system prompt; sent in the provider's system slot (omitted when empty).
    public var systemPrompt: String
    /// The user message: the instruction plus the context block of the task's inputs.
    public var userPrompt: String
    /// Sampling temperature; `nil` leaves the provider's default.
    public var temperature: Double?
    /// Upper bound on generated tokens; `nil` leaves the provider's default (Anthropic requires one,
    /// so ``AnthropicProvider`` substitutes its configured default).
    public var maxTokens: Int?
    /// How long the whole HTTP exchange may take, connection and body included.
    public var timeout: Duration
    /// The task's agent role (for example `qa`), if known.
    public var agentRole: String?
    /// The task's instruction without the context block, if known.
    public var instruction: String?
    /// The ids of the tasks whose outputs are in the context block, in order.
    public var dependencyIDs: [String]
    /// The task's `agent_id`, if known.
    public var agentID: String?
    /// The form of answer expected.
    public var responseFormat: ResponseFormat

    /// The per-request timeout used when none is given.
    public static let defaultTimeout: Duration = .seconds(120)

    /// Creates a request.
    public init(
        model: String,
        systemPrompt: String = "",
        userPrompt: String,
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        timeout: Duration = LLMRequest.defaultTimeout,
        agentRole: String? = nil,
        instruction: String? = nil,
        dependencyIDs: [String] = [],
        agentID: String? = nil,
        responseFormat: ResponseFormat = .text
    ) {
        self.model = model
        self.systemPrompt = systemPrompt
        self.userPrompt = userPrompt
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.timeout = timeout
        self.agentRole = agentRole
        self.instruction = instruction
        self.dependencyIDs = dependencyIDs
        self.agentID = agentID
        self.responseFormat = responseFormat
    }
}
