/// Token counts of one call, encoded with the snake_case keys of API.md §5
/// (`prompt_tokens`, `completion_tokens`, `total_tokens`).
public struct LLMUsage: Sendable, Hashable, Codable {
    /// Tokens in the prompt (Anthropic: `input_tokens`).
    public var promptTokens: Int
    /// Tokens generated (Anthropic: `output_tokens`).
    public var completionTokens: Int
    /// Their sum (OpenAI reports it; otherwise computed).
    public var totalTokens: Int

    /// Creates usage; `totalTokens` defaults to the sum of the other two.
    public init(promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens + completionTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    /// Adds two usages field by field (for workflow totals).
    public static func + (lhs: LLMUsage, rhs: LLMUsage) -> LLMUsage {
        LLMUsage(
            promptTokens: lhs.promptTokens + rhs.promptTokens,
            completionTokens: lhs.completionTokens + rhs.completionTokens,
            totalTokens: lhs.totalTokens + rhs.totalTokens
        )
    }
}
