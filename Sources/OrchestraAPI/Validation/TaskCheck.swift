/// What validation learned about one task: its valid fields, even when others are invalid, so that
/// cross-task checks do not report false problems, and the finished task when all fields are valid.
struct TaskDraft {
    var agentId: String?
    var dependsOn: [String]?
    /// `delegate` when it was `true`.
    var delegates = false
    var task: AgentTask?
}

/// Field checks of one element of `tasks`, in `AgentTask`'s field order.
struct TaskCheck {
    var limits: ValidationLimits
    /// `["body", "tasks", i]`.
    var loc: [LocElement]

    func run(_ value: JSONValue, into issues: inout [ValidationIssue]) -> TaskDraft {
        guard let object = value.objectValue else {
            issues.append(.modelType(loc, input: value))
            return TaskDraft()
        }
        let issueCountBefore = issues.count
        var draft = TaskDraft()

        func required(_ key: String) -> JSONValue? {
            guard let value = object[key] else {
                issues.append(.missing(loc + [.key(key)], in: object))
                return nil
            }
            return value
        }
        func optional(_ key: String) -> JSONValue? {
            guard let value = object[key], !value.isNull else { return nil }
            return value
        }

        draft.agentId = required("agent_id").flatMap { FieldCheck.identifier($0, at: loc + ["agent_id"], into: &issues) }
        let agentRole = required("agent_role").flatMap {
            FieldCheck.string($0, length: AgentTaskLimits.agentRoleLength, at: loc + ["agent_role"], into: &issues)
        }
        let inputData = required("input_data").flatMap { checkInputData($0, into: &issues) }
        draft.dependsOn = checkDependsOn(object["depends_on"], into: &issues)

        let llmModel = optional("llm_model").flatMap {
            FieldCheck.string($0, length: AgentTaskLimits.llmModelLength, at: loc + ["llm_model"], into: &issues)
        }
        let temperature = optional("temperature").flatMap {
            FieldCheck.number($0, in: AgentTaskLimits.temperature, at: loc + ["temperature"], into: &issues)
        }
        let maxTokens = optional("max_tokens").flatMap {
            FieldCheck.integer($0, in: AgentTaskLimits.maxTokens, at: loc + ["max_tokens"], into: &issues)
        }
        let systemPrompt = optional("system_prompt").flatMap { FieldCheck.string($0, at: loc + ["system_prompt"], into: &issues) }
        let timeout = optional("timeout_s").flatMap {
            FieldCheck.number($0, in: AgentTaskLimits.timeoutSeconds, lowerExclusive: true, at: loc + ["timeout_s"], into: &issues)
        }
        let maxAttempts = optional("max_attempts").flatMap {
            FieldCheck.integer($0, in: AgentTaskLimits.maxAttempts, at: loc + ["max_attempts"], into: &issues)
        }
        let delegate = optional("delegate").flatMap { FieldCheck.bool($0, at: loc + ["delegate"], into: &issues) } ?? false
        if delegate, let agentId = draft.agentId {
            let longest = IdentifierSyntax.maxLength - DelegationNaming.synthesisSuffix.count
            if agentId.utf8.count > longest {
                issues.append(
                    .valueError(
                        loc + ["delegate"],
                        "a delegating task's agent_id must be at most \(longest) characters "
                            + "(its synthesis step is named '<agent_id>\(DelegationNaming.synthesisSuffix)')", input: .bool(true)))
            }
        }
        draft.delegates = delegate

        guard issues.count == issueCountBefore, let agentId = draft.agentId, let agentRole, let inputData,
            let dependsOn = draft.dependsOn
        else { return draft }
        draft.task = AgentTask(
            agentId: agentId,
            agentRole: agentRole,
            inputData: inputData,
            dependsOn: dependsOn,
            options: TaskOptions(
                llmModel: llmModel, temperature: temperature, maxTokens: maxTokens, systemPrompt: systemPrompt,
                timeoutSeconds: timeout, delegate: delegate),
            maxAttempts: maxAttempts
        )
        return draft
    }

    private func checkInputData(_ value: JSONValue, into issues: inout [ValidationIssue]) -> JSONObject? {
        let inputLoc = loc + ["input_data"]
        guard let members = value.objectValue else {
            issues.append(.dictType(inputLoc, input: value))
            return nil
        }
        if members.isEmpty {
            issues.append(.valueError(inputLoc, "input_data must not be empty", input: value))
            return nil
        }
        let before = issues.count
        if let instruction = members["task"] {
            if let text = FieldCheck.string(instruction, at: inputLoc + ["task"], into: &issues) {
                let size = text.utf8.count
                if size > limits.maxInstructionBytes {
                    issues.append(
                        .valueError(
                            inputLoc + ["task"], "the instruction is \(size) bytes; at most \(limits.maxInstructionBytes) are allowed",
                            input: instruction))
                } else if members.count == 1, text.allSatisfy(\.isWhitespace) {
                    issues.append(.valueError(inputLoc + ["task"], "the instruction must not be blank", input: instruction))
                }
            }
        }
        if issues.count == before {
            let size = value.compactJSONByteCount
            if size > limits.maxInputDataBytes {
                issues.append(
                    .valueError(
                        inputLoc, "input_data is \(size) bytes as JSON; at most \(limits.maxInputDataBytes) are allowed", input: value))
            }
        }
        return issues.count == before ? members : nil
    }

    /// `depends_on` defaults to `[]` when absent; `null` is not a list.
    private func checkDependsOn(_ value: JSONValue?, into issues: inout [ValidationIssue]) -> [String]? {
        guard let value else { return [] }
        guard let elements = value.arrayValue else {
            issues.append(.listType(loc + ["depends_on"], input: value))
            return nil
        }
        var ids: [String] = []
        var valid = true
        for (index, element) in elements.enumerated() {
            if let id = FieldCheck.string(element, at: loc + ["depends_on", .index(index)], into: &issues) {
                ids.append(id)
            } else {
                valid = false
            }
        }
        return valid ? ids : nil
    }
}
