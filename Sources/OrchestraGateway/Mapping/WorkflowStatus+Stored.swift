import Foundation
import OrchestraCore
import OrchestraScheduler

extension WorkflowStatus {
    /// The API view of a stored workflow: contract fields plus the additions (attempts, worker,
    /// model, provider, usage, depends_on; usage totals and a failure summary on the workflow).
    /// Throws for a record whose type or status is not one of the API's values (corrupt data).
    init(stored: StoredWorkflow) throws(GatewayError) {
        guard let type = WorkflowType(rawValue: stored.type), let status = WorkflowState(rawValue: stored.status) else {
            throw GatewayError.internalError
        }
        let tasks = stored.tasks.map { TaskStatus(stored: $0, workflowId: stored.id) }
        var usage: TokenUsage?
        if stored.promptTokens != 0 || stored.completionTokens != 0 {
            usage = TokenUsage(promptTokens: stored.promptTokens, completionTokens: stored.completionTokens)
        }
        self.init(
            workflowId: stored.id,
            workflowType: type,
            status: status,
            createdAt: Timestamp(millisecondsSinceEpoch: stored.createdAt),
            startedAt: stored.startedAt.map(Timestamp.init(millisecondsSinceEpoch:)),
            completedAt: stored.completedAt.map(Timestamp.init(millisecondsSinceEpoch:)),
            tasks: tasks,
            metadata: Self.object(stored.metadataJSON) ?? [:],
            usage: usage,
            error: status == .failed || status == .partial ? Self.failureSummary(tasks) : nil
        )
    }

    /// `k of n tasks failed; first: <agent_id>: <error>` for a workflow that ended with failures.
    static func failureSummary(_ tasks: [TaskStatus]) -> String? {
        let failed = tasks.filter { $0.status == .failed }
        guard let first = failed.first else { return nil }
        let reason = first.error.map { ": \($0.prefix(500))" } ?? ""
        return "\(failed.count) of \(tasks.count) tasks failed; first: \(first.agentId)\(reason)"
    }

    /// Parses stored JSON text that should be an object.
    static func object(_ text: String) -> JSONObject? {
        (try? JSONValue.parse(text, maxDepth: JSONValue.maximumDepthLimit))?.objectValue
    }
}

extension TaskStatus {
    /// The API view of a stored task. The worker's result object
    /// (`{"output", "provider", "model", "usage": {...}}`) also fills `model`, `provider` and `usage`.
    init(stored: StoredTask, workflowId: String) {
        var result: JSONObject?
        if let text = stored.resultJSON, !text.isEmpty {
            result = WorkflowStatus.object(text) ?? ["output": .string(text)]
        }
        var usage: TokenUsage?
        if let counts = result?["usage"]?.objectValue, let prompt = counts["prompt_tokens"]?.intValue,
            let completion = counts["completion_tokens"]?.intValue
        {
            usage = TokenUsage(
                promptTokens: Int(prompt), completionTokens: Int(completion), totalTokens: counts["total_tokens"]?.intValue.map(Int.init))
        }
        var dependsOn: [String] = []
        if let text = stored.dependsOnJSON, let items = (try? JSONValue.parse(text))?.arrayValue {
            dependsOn = items.compactMap(\.stringValue)
        }
        self.init(
            taskId: WorkflowPlan.taskId(workflowId: workflowId, index: stored.index),
            agentId: stored.agentID,
            agentRole: stored.role,
            status: TaskState(rawValue: stored.status) ?? .pending,
            startedAt: stored.startedAt.map(Timestamp.init(millisecondsSinceEpoch:)),
            completedAt: stored.completedAt.map(Timestamp.init(millisecondsSinceEpoch:)),
            result: result,
            error: stored.error.flatMap { $0.isEmpty ? nil : $0 },
            attempts: stored.attempts,
            workerId: stored.workerID.flatMap { $0.isEmpty ? nil : $0 },
            model: result?["model"]?.stringValue,
            provider: result?["provider"]?.stringValue,
            usage: usage,
            dependsOn: dependsOn
        )
    }
}
