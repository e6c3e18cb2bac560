extension AgentTask {
    /// The task as a request body's `tasks` element, fields in model order and `input_data` in its
    /// own order; the same fields as `encode(to:)` (optional ones only when set, `delegate` only when
    /// `true`).
    public var jsonValue: JSONValue {
        var object: JSONObject = [
            "agent_id": .string(agentId), "agent_role": .string(agentRole), "input_data": .object(inputData),
            "depends_on": .array(dependsOn.map(JSONValue.string)),
        ]
        if let llmModel = options.llmModel { object["llm_model"] = .string(llmModel) }
        if let temperature = options.temperature { object["temperature"] = .double(temperature) }
        if let maxTokens = options.maxTokens { object["max_tokens"] = .int(Int64(maxTokens)) }
        if let systemPrompt = options.systemPrompt { object["system_prompt"] = .string(systemPrompt) }
        if let timeoutSeconds = options.timeoutSeconds { object["timeout_s"] = .double(timeoutSeconds) }
        if let maxAttempts { object["max_attempts"] = .int(Int64(maxAttempts)) }
        if options.delegate { object["delegate"] = true }
        return .object(object)
    }
}
