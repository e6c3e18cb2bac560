import OrchestraAPI

/// How the scheduler stores a task's options: one hash field each (`llm_model`, `temperature`, …),
/// only those that are set.
extension TaskOptions {
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
