import OrchestraAPI
import OrchestraScheduler

extension WorkflowSubmission {
    /// What the scheduler writes for a validated request: JSON texts, the plan's edges and each
    /// task's attempt budget (`max_attempts`, else `defaultMaxAttempts`).
    init(request: WorkflowRequest, plan: WorkflowPlan, defaultMaxAttempts: Int) {
        let tasks = zip(request.tasks, plan.tasks).map { task, planned in
            TaskSubmission(
                agentID: task.agentId,
                role: task.agentRole,
                inputJSON: JSONValue.object(task.inputData).compactJSONString,
                settings: TaskSettings(
                    llmModel: task.llmModel, temperature: task.temperature, maxTokens: task.maxTokens,
                    systemPrompt: task.systemPrompt, timeoutSeconds: task.timeoutSeconds, delegate: task.delegate),
                dependencies: planned.dependencies,
                dependents: planned.dependents,
                dependsOnJSON: task.dependsOn.isEmpty ? "" : JSONValue.array(task.dependsOn.map(JSONValue.string)).compactJSONString,
                maxAttempts: task.maxAttempts ?? defaultMaxAttempts
            )
        }
        self.init(
            id: plan.workflowId,
            type: request.workflowType.rawValue,
            metadataJSON: request.metadata.isEmpty ? "" : JSONValue.object(request.metadata).compactJSONString,
            tasks: tasks
        )
    }
}

extension WorkflowStatus {
    /// The status of a workflow just written (at `createdAt`, server time): `pending`, every task
    /// `pending`, nothing started.
    init(submitted submission: WorkflowSubmission, request: WorkflowRequest, createdAt: Int64) {
        self.init(
            workflowId: submission.id,
            workflowType: request.workflowType,
            status: .pending,
            createdAt: Timestamp(millisecondsSinceEpoch: createdAt),
            tasks: request.tasks.enumerated().map { index, task in
                TaskStatus(
                    taskId: WorkflowPlan.taskId(workflowId: submission.id, index: index),
                    agentId: task.agentId,
                    agentRole: task.agentRole,
                    status: .pending,
                    attempts: 0,
                    dependsOn: task.dependsOn
                )
            },
            metadata: request.metadata
        )
    }
}
