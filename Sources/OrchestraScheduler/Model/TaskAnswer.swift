/// A provider's answer as stored with a task: what a redelivered task reuses instead of calling
/// the provider again, and what its completion records.
public struct TaskAnswer: Sendable, Hashable {
    /// The answer text.
    public var output: String
    /// The provider that answered (`openai`, `anthropic`, `echo`, …).
    public var provider: String
    /// The model that answered.
    public var model: String
    /// Prompt tokens, when the provider reported them.
    public var promptTokens: Int?
    /// Completion tokens, when the provider reported them.
    public var completionTokens: Int?

    /// An answer.
    public init(output: String, provider: String, model: String, promptTokens: Int? = nil, completionTokens: Int? = nil) {
        self.output = output
        self.provider = provider
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}
