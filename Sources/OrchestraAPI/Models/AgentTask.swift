/// One task of a submitted workflow (the request model `AgentTask`).
///
/// Build it through ``WorkflowValidator`` from a request body; the memberwise initialiser does not validate.
public struct AgentTask: Sendable, Hashable, Codable {
    /// The task's identity inside its workflow; `depends_on` refers to it.
    public var agentId: String
    /// The agent role, e.g. `backend`; unknown roles get a generic assistant prompt.
    public var agentRole: String
    /// Input object; `task` is the instruction, other keys are structured input.
    public var inputData: JSONObject
    /// Agent ids this task waits for (graph workflows).
    public var dependsOn: [String]
    /// Execution options: model, temperature, token limit, system prompt, timeout, delegation.
    /// On the wire they are fields of the task object itself (`llm_model`, `temperature`, …).
    public var options: TaskOptions
    /// Attempts before the task fails.
    public var maxAttempts: Int?

    /// Creates a task.
    public init(
        agentId: String,
        agentRole: String,
        inputData: JSONObject,
        dependsOn: [String] = [],
        options: TaskOptions = TaskOptions(),
        maxAttempts: Int? = nil
    ) {
        self.agentId = agentId
        self.agentRole = agentRole
        self.inputData = inputData
        self.dependsOn = dependsOn
        self.options = options
        self.maxAttempts = maxAttempts
    }

    /// The instruction text (`input_data.task`), if it is a string.
    public var instruction: String? { inputData["task"]?.stringValue }

    enum CodingKeys: String, CodingKey {
        case agentId = "agent_id"
        case agentRole = "agent_role"
        case inputData = "input_data"
        case dependsOn = "depends_on"
        case llmModel = "llm_model"
        case temperature
        case maxTokens = "max_tokens"
        case systemPrompt = "system_prompt"
        case timeoutSeconds = "timeout_s"
        case maxAttempts = "max_attempts"
        case delegate
    }

    /// Decodes without the submission checks (for stored, already validated tasks).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            agentId: try container.decode(String.self, forKey: .agentId),
            agentRole: try container.decode(String.self, forKey: .agentRole),
            inputData: try container.decode(JSONObject.self, forKey: .inputData),
            dependsOn: try container.decodeIfPresent([String].self, forKey: .dependsOn) ?? [],
            options: TaskOptions(
                llmModel: try container.decodeIfPresent(String.self, forKey: .llmModel),
                temperature: try container.decodeIfPresent(Double.self, forKey: .temperature),
                maxTokens: try container.decodeIfPresent(Int.self, forKey: .maxTokens),
                systemPrompt: try container.decodeIfPresent(String.self, forKey: .systemPrompt),
                timeoutSeconds: try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds),
                delegate: try container.decodeIfPresent(Bool.self, forKey: .delegate) ?? false
            ),
            maxAttempts: try container.decodeIfPresent(Int.self, forKey: .maxAttempts)
        )
    }

    /// Encodes the fields that are set; `delegate` only when it is `true`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agentId, forKey: .agentId)
        try container.encode(agentRole, forKey: .agentRole)
        try container.encode(inputData, forKey: .inputData)
        try container.encode(dependsOn, forKey: .dependsOn)
        try container.encodeIfPresent(options.llmModel, forKey: .llmModel)
        try container.encodeIfPresent(options.temperature, forKey: .temperature)
        try container.encodeIfPresent(options.maxTokens, forKey: .maxTokens)
        try container.encodeIfPresent(options.systemPrompt, forKey: .systemPrompt)
        try container.encodeIfPresent(options.timeoutSeconds, forKey: .timeoutSeconds)
        try container.encodeIfPresent(maxAttempts, forKey: .maxAttempts)
        if options.delegate { try container.encode(true, forKey: .delegate) }
    }
}
