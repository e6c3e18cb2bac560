/// Token counts reported by an LLM provider for one call, or summed over a workflow.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Tokens in the completion.
    public var completionTokens: Int
    /// Total tokens; the sum of the two unless the provider says otherwise.
    public var totalTokens: Int

    /// Creates usage counts; `totalTokens` defaults to the sum.
    public init(promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens + completionTokens
    }

    /// No tokens.
    public static let zero = TokenUsage(promptTokens: 0, completionTokens: 0)

    /// Adds two usages field by field.
    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(
            promptTokens: lhs.promptTokens + rhs.promptTokens,
            completionTokens: lhs.completionTokens + rhs.completionTokens,
            totalTokens: lhs.totalTokens + rhs.totalTokens
        )
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    /// Decodes the snake_case fields; a missing `total_tokens` is the sum of the others.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let prompt = try container.decode(Int.self, forKey: .promptTokens)
        let completion = try container.decode(Int.self, forKey: .completionTokens)
        let total = try container.decodeIfPresent(Int.self, forKey: .totalTokens)
        self.init(promptTokens: prompt, completionTokens: completion, totalTokens: total)
    }
}
