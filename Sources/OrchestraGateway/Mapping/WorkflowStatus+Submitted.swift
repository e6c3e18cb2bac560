import OrchestraAPI
import OrchestraScheduler

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
