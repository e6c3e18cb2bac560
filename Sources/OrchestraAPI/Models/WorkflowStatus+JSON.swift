extension WorkflowStatus {
    /// The response body: the same fields as `encode(to:)`, in contract order, with `metadata` and
    /// each task's `result` in their own key order (Foundation's `JSONEncoder` would reorder them).
    /// Write it with ``JSONValue/write(into:)``.
    public var jsonValue: JSONValue {
        var object: JSONObject = [
            "workflow_id": .string(workflowId), "workflow_type": .string(workflowType.rawValue), "status": .string(status.rawValue),
            "created_at": .string(createdAt.iso8601String), "started_at": Self.json(startedAt),
            "completed_at": Self.json(completedAt), "tasks": .array(tasks.map(\.jsonValue)), "metadata": .object(metadata),
        ]
        if let usage { object["usage"] = usage.jsonValue }
        if let error { object["error"] = .string(error) }
        return .object(object)
    }

    static func json(_ timestamp: Timestamp?) -> JSONValue {
        timestamp.map { .string($0.iso8601String) } ?? .null
    }
}

extension TaskStatus {
    /// The task's part of a response body: the same fields as `encode(to:)`, in contract order.
    public var jsonValue: JSONValue {
        var object: JSONObject = [
            "task_id": .string(taskId), "agent_id": .string(agentId), "agent_role": .string(agentRole),
            "status": .string(status.rawValue), "started_at": WorkflowStatus.json(startedAt),
            "completed_at": WorkflowStatus.json(completedAt), "result": result.map(JSONValue.object) ?? .null,
            "error": error.map(JSONValue.string) ?? .null,
        ]
        if let attempts { object["attempts"] = .int(Int64(attempts)) }
        if let workerId { object["worker_id"] = .string(workerId) }
        if let model { object["model"] = .string(model) }
        if let provider { object["provider"] = .string(provider) }
        if let usage { object["usage"] = usage.jsonValue }
        if let dependsOn { object["depends_on"] = .array(dependsOn.map(JSONValue.string)) }
        return .object(object)
    }
}

extension TokenUsage {
    /// `{"prompt_tokens": …, "completion_tokens": …, "total_tokens": …}`.
    public var jsonValue: JSONValue {
        [
            "prompt_tokens": .int(Int64(promptTokens)), "completion_tokens": .int(Int64(completionTokens)),
            "total_tokens": .int(Int64(totalTokens)),
        ]
    }
}
