public import Foundation

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

    /// Creates options; every field defaults to "use the configuration".
    public init(
        llmModel: String? = nil,
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        systemPrompt: String? = nil,
        timeoutSeconds: Double? = nil
    ) {
        self.llmModel = llmModel
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.systemPrompt = systemPrompt
        self.timeoutSeconds = timeoutSeconds
    }

    /// The options a submitted task carries.
    public init(task: AgentTask) {
        self.init(
            llmModel: task.llmModel,
            temperature: task.temperature,
            maxTokens: task.maxTokens,
            systemPrompt: task.systemPrompt,
            timeoutSeconds: task.timeoutSeconds
        )
    }

    enum CodingKeys: String, CodingKey {
        case llmModel = "llm_model"
        case temperature
        case maxTokens = "max_tokens"
        case systemPrompt = "system_prompt"
        case timeoutSeconds = "timeout_s"
    }

    /// Compact JSON (`{}` when nothing is set), as stored in Redis.
    public var jsonString: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes stored options; empty or unreadable text yields the defaults.
    public init(jsonString: String) {
        guard !jsonString.isEmpty, let decoded = try? JSONDecoder().decode(Self.self, from: Data(jsonString.utf8)) else {
            self.init()
            return
        }
        self = decoded
    }
}
