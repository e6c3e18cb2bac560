import OrchestraCore
import OrchestraScheduler

extension WorkflowSubmission {
    /// What the scheduler writes for a validated request: JSON texts, the plan's edges and each
    /// task's attempt budget (`max_attempts`, else `defaultMaxAttempts`).
    init(request: WorkflowRequest, plan: WorkflowPlan, createdAt: Int64, defaultMaxAttempts: Int) {
        let tasks = zip(request.tasks, plan.tasks).map { task, planned in
            TaskSubmission(
                agentID: task.agentId,
                role: task.agentRole,
                inputJSON: JSONValue.object(task.inputData).compactJSONString,
                optionsJSON: TaskOptions(task: task).jsonString,
                dependencies: planned.dependencies,
                dependents: planned.dependents,
                dependsOnJSON: JSONValue.array(task.dependsOn.map(JSONValue.string)).compactJSONString,
                maxAttempts: task.maxAttempts ?? defaultMaxAttempts
            )
        }
        self.init(
            id: plan.workflowId,
            type: request.workflowType.rawValue,
            createdAt: createdAt,
            metadataJSON: JSONValue.object(request.metadata).compactJSONString,
            tasks: tasks
        )
    }
}

extension WorkflowStatus {
    /// The status of a workflow just written: `pending`, every task `pending`, nothing started.
    init(submitted submission: WorkflowSubmission, request: WorkflowRequest) {
        self.init(
            workflowId: submission.id,
            workflowType: request.workflowType,
            status: .pending,
            createdAt: Timestamp(millisecondsSinceEpoch: submission.createdAt),
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
