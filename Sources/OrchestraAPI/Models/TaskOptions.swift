/// A task's optional execution settings (API.md §5): what a submitted ``AgentTask`` carries, what
/// the scheduler stores with the task, and what the worker reads back. `nil` means "use the
/// configured default". The one definition of these fields: ``AgentTask`` holds one, the scheduler
/// stores its fields one by one, and a delegating task passes its own to its subtasks.
public struct TaskOptions: Sendable, Hashable {
    /// `llm_model`: the model to call instead of the configured default (`gpt-4o`, `claude-…`,
    /// `provider/model`).
    public var llmModel: String?
    /// `temperature`: sampling temperature, 0...2.
    public var temperature: Double?
    /// `max_tokens`: completion token limit.
    public var maxTokens: Int?
    /// `system_prompt`: replaces the role's prompt.
    public var systemPrompt: String?
    /// `timeout_s`: the per-attempt timeout in seconds.
    public var timeoutSeconds: Double?
    /// `delegate`: the answer is a coordinator plan of subtasks, which the scheduler adds to the
    /// workflow (then a synthesis step merging their results); default `false`.
    public var delegate: Bool

    /// Options; every field defaults to "use the configuration" (and no delegation).
    public init(
        llmModel: String? = nil,
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        systemPrompt: String? = nil,
        timeoutSeconds: Double? = nil,
        delegate: Bool = false
    ) {
        self.llmModel = llmModel
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.systemPrompt = systemPrompt
        self.timeoutSeconds = timeoutSeconds
        self.delegate = delegate
    }
}
