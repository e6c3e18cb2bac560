/// A task's optional settings (API.md §5), as submitted and as a worker reads them back; `nil`
/// means "use the configured default".
public struct TaskSettings: Sendable, Hashable {
    /// `llm_model`: the model to call instead of the default.
    public var llmModel: String?
    /// `temperature`.
    public var temperature: Double?
    /// `max_tokens`.
    public var maxTokens: Int?
    /// `system_prompt`: replaces the role's prompt.
    public var systemPrompt: String?
    /// `timeout_s`: the per-attempt timeout in seconds.
    public var timeoutSeconds: Double?
    /// `delegate`: the answer is a plan of subtasks to add to the workflow.
    public var delegate: Bool

    /// Settings; all defaults unless given.
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

    /// The stored form: field and value of each setting that is set.
    var fields: [(TaskField, String)] {
        var fields: [(TaskField, String)] = []
        if let llmModel { fields.append((.llmModel, llmModel)) }
        if let temperature { fields.append((.temperature, String(temperature))) }
        if let maxTokens { fields.append((.maxTokens, String(maxTokens))) }
        if let systemPrompt { fields.append((.systemPrompt, systemPrompt)) }
        if let timeoutSeconds { fields.append((.timeoutSeconds, String(timeoutSeconds))) }
        if delegate { fields.append((.delegate, "1")) }
        return fields
    }

    /// Reads the stored form (absent fields are unset).
    init(stored value: (TaskField) -> String?) {
        self.init(
            llmModel: value(.llmModel),
            temperature: value(.temperature).flatMap(Double.init),
            maxTokens: value(.maxTokens).flatMap { Int($0) },
            systemPrompt: value(.systemPrompt),
            timeoutSeconds: value(.timeoutSeconds).flatMap(Double.init),
            delegate: value(.delegate) == "1"
        )
    }
}

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
