/// The fields Redis holds for a task, in its workflow's task hash as `<index>:<field>`: the one
/// definition the store, the scheduling library and the status mapping share. A test checks that
/// every `tf(i, '<field>')` in the library's Lua names one of these.
public enum TaskField: String, CaseIterable, Sendable {
    // As submitted.
    /// `agent_id`.
    case agentID = "agent_id"
    /// `agent_role`.
    case role
    /// `input_data` as compact JSON.
    case input
    /// Indices (comma-separated) of the tasks whose outputs this one waits for.
    case dependencies = "deps"
    /// Indices of the tasks that wait for this one.
    case dependents
    /// Inputs still missing; absent means none.
    case waiting
    /// `depends_on` as submitted (a JSON array); absent when empty.
    case dependsOn = "depends_on"
    /// Attempts allowed.
    case maxAttempts = "max_attempts"
    // Options (API.md §5), each present only when set.
    /// `llm_model`.
    case llmModel = "llm_model"
    /// `temperature`.
    case temperature
    /// `max_tokens`.
    case maxTokens = "max_tokens"
    /// `system_prompt`.
    case systemPrompt = "system_prompt"
    /// `timeout_s`.
    case timeoutSeconds = "timeout_s"
    /// `1` for a delegating task.
    case delegate
    // Scheduling state.
    /// `pending` (waiting for inputs), `queued`, `running`, `delayed` (a retry), `completed`, `failed`.
    case status
    /// Attempts started (claims).
    case attempts
    /// The fencing token of the current claim.
    case epoch
    /// The worker holding (or that last held) the task.
    case worker
    /// Epoch ms of the first start.
    case startedAt = "started_at"
    /// Epoch ms of the end.
    case completedAt = "completed_at"
    /// Epoch ms when it last became ready (queue wait).
    case queuedAt = "queued_at"
    /// The error of a failed task, or the last error of a task waiting for a retry.
    case error
    /// Rate-limit refunds granted so far.
    case refunds
    // The answer: stored before the task is acknowledged (at-most-once billing).
    /// The model's answer text (for a delegating task, after completion, the plan's summary).
    case output
    /// The provider that answered.
    case provider
    /// The model that answered.
    case model
    /// Prompt tokens of the call, when the provider reported them.
    case promptTokens = "prompt_tokens"
    /// Completion tokens of the call, when the provider reported them.
    case completionTokens = "completion_tokens"
    /// A delegating task's plan (JSON).
    case plan
    /// `<first>:<count>`: where a delegating task's plan was added (idempotency marker).
    case expanded

    /// The hash field of task `index`: `<index>:<field>`.
    public func key(_ index: Int) -> String { "\(index):\(rawValue)" }
}

/// The fields of a workflow hash.
public enum WorkflowField: String, CaseIterable, Sendable {
    /// The id.
    case id = "workflow_id"
    /// `sequential`, `parallel` or `graph`.
    case type = "workflow_type"
    /// `pending`, `running`, `completed`, `failed` or `partial`.
    case status
    /// Epoch ms, server time.
    case createdAt = "created_at"
    /// Epoch ms of the first claim.
    case startedAt = "started_at"
    /// Epoch ms of the end.
    case completedAt = "completed_at"
    /// `metadata` as compact JSON; absent when empty.
    case metadata
    /// Tasks, delegated ones included.
    case taskCount = "task_count"
    /// Tasks not yet terminal.
    case remaining
    /// Tasks failed.
    case failed
    /// Token totals over its completed tasks.
    case promptTokens = "prompt_tokens"
    /// Token totals over its completed tasks.
    case completionTokens = "completion_tokens"
}
