public import OrchestraRedis

/// What adding a delegating task's plan to its workflow found.
public enum ExpandOutcome: Sendable, Hashable {
    /// The tasks were added at indices `firstIndex ..< firstIndex + count`.
    case expanded(firstIndex: Int, count: Int)
    /// An earlier claim of this task already added its plan there; nothing changed (redelivery).
    case alreadyExpanded(firstIndex: Int, count: Int)
    /// A new task's `agent_id` is already used in the workflow (or twice in the plan); nothing changed.
    case conflict(agentID: String)
    /// The subtasks are malformed (none, or a dependency that is not an earlier subtask); nothing changed.
    case invalid(String)
    /// Rejected: the lease was lost and the task belongs to another claim (fencing).
    case stale
    /// Rejected: the workflow no longer exists (cancelled or expired).
    case gone
}

extension TaskQueue {
    /// Adds the tasks a delegating task planned to its workflow, in one call fenced by the task's
    /// epoch; call it before ``complete(_:_:plan:)`` of `task`, which then releases the plan's
    /// first tasks.
    ///
    /// `subtasks` are in plan order, the synthesis step last. Their ``TaskSubmission/dependencies``
    /// are positions of *earlier entries of `subtasks`* (not workflow indices); an entry with none
    /// starts when `task` completes. ``TaskSubmission/dependents`` is ignored (derived). The last
    /// entry also takes over `task`'s dependents. Idempotent: a redelivered `task` gets
    /// ``ExpandOutcome/alreadyExpanded(firstIndex:count:)``.
    public func expand(_ task: ClaimedTask, subtasks: [TaskSubmission]) async throws(RedisError) -> ExpandOutcome {
        guard !subtasks.isEmpty else { return .invalid("no subtasks to add") }
        let workflow = keys.workflow(task.workflowID)
        var call = SchedulerLibrary.expand.call(groups: subtasks.count)
        call.key("wf", workflow.hash)
        call.key("tasks", workflow.tasks)
        call.key("events", workflow.events)
        call.key("shard_events", workflow.shard.events)
        call.argument("index", RedisArgument(task.index))
        call.argument("epoch", RedisArgument(task.epoch))
        call.argument("wmax", RedisArgument(settings.workflowEventLimit))
        call.argument("smax", RedisArgument(settings.clusterEventLimit))
        for (position, subtask) in subtasks.enumerated() {
            if let bad = subtask.dependencies.first(where: { !(0..<position).contains($0) }) {
                return .invalid("subtask \(position) ('\(subtask.agentID)') depends on position \(bad), which is not an earlier subtask")
            }
            let settings = Dictionary(subtask.options.fields, uniquingKeysWith: { _, last in last })
            call.argument("agent_id", RedisArgument(subtask.agentID))
            call.argument("role", RedisArgument(subtask.role))
            call.argument("input", RedisArgument(subtask.inputJSON))
            call.argument("deps", RedisArgument(subtask.dependencies.map(String.init).joined(separator: ",")))
            call.argument("depends_on", RedisArgument(subtask.dependsOnJSON == "[]" ? "" : subtask.dependsOnJSON))
            call.argument("max_attempts", RedisArgument(subtask.maxAttempts))
            call.argument("llm_model", RedisArgument(settings[.llmModel] ?? ""))
            call.argument("temperature", RedisArgument(settings[.temperature] ?? ""))
            call.argument("max_tokens", RedisArgument(settings[.maxTokens] ?? ""))
            call.argument("system_prompt", RedisArgument(settings[.systemPrompt] ?? ""))
            call.argument("timeout_s", RedisArgument(settings[.timeoutSeconds] ?? ""))
            call.argument("delegate", RedisArgument(settings[.delegate] ?? ""))
        }
        let reply = try await ReplyFields(redis.call(call))
        switch try reply.string("outcome") {
        case "ok": return .expanded(firstIndex: try reply.int("first"), count: try reply.int("count"))
        case "already": return .alreadyExpanded(firstIndex: try reply.int("first"), count: try reply.int("count"))
        case "conflict": return .conflict(agentID: try reply.string("agent_id"))
        case "gone": return .gone
        default: return .stale
        }
    }

    /// The `agent_id`s of a workflow's tasks in index order (empty when it does not exist): what a
    /// delegating task's plan must not reuse.
    public func agentIDs(ofWorkflow workflowID: String) async throws(RedisError) -> [String] {
        let workflow = keys.workflow(workflowID)
        guard
            let count = try await redis.send("HGET", RedisArgument(workflow.hash), "task_count").decodeOptionalString().flatMap({ Int($0) }
            ),
            count > 0
        else { return [] }
        let fields = (0..<count).map { RedisArgument(TaskField.agentID.key($0)) }
        var ids: [String] = []
        for value in try await redis.send(["HMGET", RedisArgument(workflow.tasks)] + fields).decodeArray() {
            if let id = try value.decodeOptionalString() { ids.append(id) }
        }
        return ids
    }
}
