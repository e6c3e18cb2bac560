/// Calls and tokens of one provider and model, summed over every shard (see
/// ``WorkflowStore/usageCounters()``). Counted when a task completes, so a call whose task was
/// never acknowledged (its worker died before storing the answer) is not included.
public struct ProviderUsage: Sendable, Hashable, Codable {
    /// The provider's name (`openai`, `anthropic`, `echo`, …).
    public var provider: String
    /// The provider-specific model name.
    public var model: String
    /// Completed tasks answered by this model.
    public var calls: Int
    /// Prompt tokens they used.
    public var promptTokens: Int
    /// Completion tokens they used.
    public var completionTokens: Int

    /// Usage of one model.
    public init(provider: String, model: String, calls: Int = 0, promptTokens: Int = 0, completionTokens: Int = 0) {
        self.provider = provider
        self.model = model
        self.calls = calls
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    enum CodingKeys: String, CodingKey {
        case provider, model, calls
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }
}
