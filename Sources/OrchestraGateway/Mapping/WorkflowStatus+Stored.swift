import Foundation
import OrchestraAPI
import OrchestraScheduler

extension WorkflowStatus {
    /// The API view of a stored workflow (API.md §1): the contract fields plus the additions
    /// (attempts, worker, model, provider, usage, depends_on; usage totals and a failure summary
    /// on the workflow). Throws for a record whose type or status is not one of the API's values.
    init(stored: StoredWorkflow) throws(GatewayError) {
        guard let type = WorkflowType(rawValue: stored.type), let status = WorkflowState(rawValue: stored.status) else {
            throw GatewayError.internalError
        }
        let tasks = stored.tasks.map { TaskStatus(stored: $0, in: stored) }
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
    /// The API view of a stored task of `workflow`. A completed task's `result` is the Phase 2
    /// shape clients read (`result.output.message`), built from the stored fields:
    /// `{agent_id, agent_role, input, context, output: {success, message, timestamp}, provider,
    /// model, usage}` (and `plan` for a delegating task).
    init(stored task: StoredTask, in workflow: StoredWorkflow) {
        var result: JSONObject?
        var usage: TokenUsage?
        if task.state == "completed", let answer = task.answer {
            if let prompt = answer.promptTokens, let completion = answer.completionTokens {
                usage = TokenUsage(promptTokens: prompt, completionTokens: completion)
            }
            let completedAt = task.completedAt.map { Timestamp(millisecondsSinceEpoch: $0).iso8601String }
            var object: JSONObject = [
                "agent_id": .string(task.agentID),
                "agent_role": .string(task.role),
                "input": .object(task.inputJSON.flatMap(WorkflowStatus.object) ?? [:]),
                "context": .array(
                    task.dependencies.compactMap { workflow.tasks.indices.contains($0) ? .string(workflow.tasks[$0].agentID) : nil }),
                "output": [
                    "success": true, "message": .string(answer.output), "timestamp": completedAt.map(JSONValue.string) ?? .null,
                ],
                "provider": .string(answer.provider),
                "model": .string(answer.model),
                "usage": usage.map {
                    ["prompt_tokens": .int(Int64($0.promptTokens)), "completion_tokens": .int(Int64($0.completionTokens))]
                }
                    ?? .null,
            ]
            if let plan = task.planJSON, let value = try? JSONValue.parse(plan, maxDepth: JSONValue.maximumDepthLimit) {
                object["plan"] = value
            }
            result = object
        }
        var dependsOn: [String] = []
        if let text = task.dependsOnJSON, let items = (try? JSONValue.parse(text, maxDepth: JSONValue.maximumDepthLimit))?.arrayValue {
            dependsOn = items.compactMap(\.stringValue)
        }
        self.init(
            taskId: WorkflowPlan.taskId(workflowId: workflow.id, index: task.index),
            agentId: task.agentID,
            agentRole: task.role,
            status: TaskState(rawValue: task.status) ?? .pending,
            startedAt: task.startedAt.map(Timestamp.init(millisecondsSinceEpoch:)),
            completedAt: task.completedAt.map(Timestamp.init(millisecondsSinceEpoch:)),
            result: result,
            error: task.error,
            attempts: task.attempts,
            workerId: task.workerID.flatMap { $0.isEmpty ? nil : $0 },
            model: task.answer?.model,
            provider: task.answer?.provider,
            usage: usage,
            dependsOn: dependsOn
        )
    }
}
