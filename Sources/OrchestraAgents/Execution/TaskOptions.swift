public import OrchestraAPI

/// The per-task execution options the gateway stores with a task and the worker reads back
/// (API.md §5). Stored as compact JSON in the task's `options` field; unset options are omitted,
/// so the worker applies its configured defaults.
public struct TaskOptions: Sendable, Hashable, Codable {
    /// Model to call instead of the configured default (`gpt-4o`, `claude-…`, `provider/model`).
    public var llmModel: String?
    /// Sampling temperature.
    public var temperature: Double?
    /// Completion token limit.
    public var maxTokens: Int?
    /// System prompt replacing the role's prompt.
    public var systemPrompt: String?
    /// Per-attempt timeout in seconds.
    public var timeoutSeconds: Double?
    /// The task delegates (``AgentTask/delegate``): the worker asks for a ``CoordinatorPlan`` and
    /// expands the workflow with it. Stored only when `true`.
    public var delegate: Bool

    /// Creates options; every field defaults to "use the configuration" (and no delegation).
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

    /// The options a submitted task carries.
    public init(task: AgentTask) {
        self.init(
            llmModel: task.llmModel,
            temperature: task.temperature,
            maxTokens: task.maxTokens,
            systemPrompt: task.systemPrompt,
            timeoutSeconds: task.timeoutSeconds,
            delegate: task.delegate
        )
    }

    enum CodingKeys: String, CodingKey {
        case llmModel = "llm_model"
        case temperature
        case maxTokens = "max_tokens"
        case systemPrompt = "system_prompt"
        case timeoutSeconds = "timeout_s"
        case delegate
    }

    /// Decodes stored options; a missing `delegate` means `false`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            llmModel: try container.decodeIfPresent(String.self, forKey: .llmModel),
            temperature: try container.decodeIfPresent(Double.self, forKey: .temperature),
            maxTokens: try container.decodeIfPresent(Int.self, forKey: .maxTokens),
            systemPrompt: try container.decodeIfPresent(String.self, forKey: .systemPrompt),
            timeoutSeconds: try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds),
            delegate: try container.decodeIfPresent(Bool.self, forKey: .delegate) ?? false
        )
    }

    /// Encodes the options that are set (`delegate` only when `true`), so the defaults stay `{}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(llmModel, forKey: .llmModel)
        try container.encodeIfPresent(temperature, forKey: .temperature)
        try container.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try container.encodeIfPresent(systemPrompt, forKey: .systemPrompt)
        try container.encodeIfPresent(timeoutSeconds, forKey: .timeoutSeconds)
        if delegate { try container.encode(true, forKey: .delegate) }
    }

    /// The options that are set, as a JSON object in field order (`delegate` only when `true`).
    public var jsonObject: JSONObject {
        var object = JSONObject()
        if let llmModel { object["llm_model"] = .string(llmModel) }
        if let temperature { object["temperature"] = .double(temperature) }
        if let maxTokens { object["max_tokens"] = .int(Int64(maxTokens)) }
        if let systemPrompt { object["system_prompt"] = .string(systemPrompt) }
        if let timeoutSeconds { object["timeout_s"] = .double(timeoutSeconds) }
        if delegate { object["delegate"] = true }
        return object
    }

    /// Compact JSON (`{}` when nothing is set), as stored in Redis.
    public var jsonString: String {
        JSONValue.object(jsonObject).compactJSONString
    }

    /// Decodes stored options; empty text or text that is not a JSON object yields the defaults, and
    /// a field of the wrong type is ignored.
    public init(jsonString: String) {
        guard !jsonString.isEmpty, let object = (try? JSONValue.parse(jsonString))?.objectValue else {
            self.init()
            return
        }
        self.init(
            llmModel: object["llm_model"]?.stringValue,
            temperature: object["temperature"]?.doubleValue,
            maxTokens: object["max_tokens"]?.intValue.flatMap { Int(exactly: $0) },
            systemPrompt: object["system_prompt"]?.stringValue,
            timeoutSeconds: object["timeout_s"]?.doubleValue,
            delegate: object["delegate"]?.boolValue ?? false
        )
    }
}
