/// The bounds of an agent task's fields, in one place: ``TaskCheck`` enforces them and the
/// gateway's OpenAPI document publishes them, so the document cannot promise what validation
/// refuses (or the reverse).
public enum AgentTaskLimits {
    /// `agent_role`, in characters.
    public static let agentRoleLength = 1...64
    /// `llm_model`, in characters.
    public static let llmModelLength = 1...200
    /// `temperature`.
    public static let temperature: ClosedRange<Double> = 0...2
    /// `max_tokens`.
    public static let maxTokens = 1...1_000_000
    /// `timeout_s`, in seconds; the lower bound is exclusive (a timeout of 0 is refused).
    public static let timeoutSeconds: ClosedRange<Double> = 0...3600
    /// `max_attempts`.
    public static let maxAttempts = 1...20
}
