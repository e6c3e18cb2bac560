public import OrchestraAPI

/// A model's answer to an ``LLMRequest``.
public struct LLMResponse: Sendable, Hashable {
    /// The generated text.
    public var text: String
    /// The name of the provider that answered (`openai`, `anthropic`, `grok`, `echo`, …).
    public var provider: String
    /// The model that was requested (provider-specific name), so usage can be counted per model.
    public var model: String
    /// Token counts, when the provider reported them.
    public var usage: TokenUsage?

    /// Creates a response.
    public init(text: String, provider: String, model: String, usage: TokenUsage? = nil) {
        self.text = text
        self.provider = provider
        self.model = model
        self.usage = usage
    }
}
