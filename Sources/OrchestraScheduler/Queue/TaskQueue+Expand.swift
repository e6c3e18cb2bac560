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
    /// Adds the tasks a delegating task planned to its workflow, in one script fenced by the
    /// task's epoch; call it before ``complete(_:resultJSON:output:promptTokens:completionTokens:)``
    /// of `task`, which then releases the plan's first tasks.
    ///
    /// `subtasks` are in plan order, the synthesis step last. For them, ``TaskSubmission/dependencies``
    /// are positions of *earlier entries of `subtasks`* (not workflow indices); an entry with none
    /// starts when `task` completes. ``TaskSubmission/dependents`` is ignored (derived). The last
    /// entry also takes over `task`'s dependents, which then wait for it instead of `task`.
    /// Idempotent: a redelivered `task` (a later claim) gets ``ExpandOutcome/alreadyExpanded(firstIndex:count:)``.
    public func expand(_ task: ClaimedTask, subtasks: [TaskSubmission]) async throws(RedisError) -> ExpandOutcome {
        guard !subtasks.isEmpty else { return .invalid("no subtasks to add") }
        var arguments: [RedisArgument] = [RedisArgument(task.index), RedisArgument(task.epoch), RedisArgument(subtasks.count)]
        arguments.reserveCapacity(3 + 7 * subtasks.count)
        for (position, subtask) in subtasks.enumerated() {
            if let bad = subtask.dependencies.first(where: { !(0..<position).contains($0) }) {
                return .invalid("subtask \(position) ('\(subtask.agentID)') depends on position \(bad), which is not an earlier subtask")
            }
            arguments += [
                RedisArgument(subtask.agentID), RedisArgument(subtask.role), RedisArgument(subtask.inputJSON),
                RedisArgument(subtask.optionsJSON), RedisArgument(subtask.dependencies.map(String.init).joined(separator: ",")),
                RedisArgument(subtask.dependsOnJSON), RedisArgument(subtask.maxAttempts),
            ]
        }
        let workflow = keys.workflow(task.workflowID)
        let reply = try await redis.run(
            SchedulerScripts.expand,
            keys: [RedisArgument(workflow.hash), RedisArgument(workflow.tasks)],
            arguments: arguments
        )
        let parts = reply.array ?? []
        switch parts.first?.string {
        case "ok": return .expanded(firstIndex: parts[1].int ?? 0, count: parts[2].int ?? 0)
        case "already": return .alreadyExpanded(firstIndex: parts[1].int ?? 0, count: parts[2].int ?? 0)
        case "conflict": return .conflict(agentID: parts[1].string ?? "")
        case "gone": return .gone
        default: return .stale
        }
    }

    /// The `agent_id`s of a workflow's tasks in index order (empty when it does not exist): what a
    /// delegating task's plan must not reuse.
    public func agentIDs(ofWorkflow workflowID: String) async throws(RedisError) -> [String] {
        let workflow = keys.workflow(workflowID)
        let count = try await redis.send("HGET", RedisArgument(workflow.hash), "task_count").string.flatMap(Int.init) ?? 0
        guard count > 0 else { return [] }
        let fields = (0..<count).map { RedisArgument("\($0):agent_id") }
        let reply = try await redis.send(["HMGET", RedisArgument(workflow.tasks)] + fields)
        return reply.array?.compactMap(\.string) ?? []
    }
}
