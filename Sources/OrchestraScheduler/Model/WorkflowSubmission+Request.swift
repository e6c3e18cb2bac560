public import OrchestraAPI

extension WorkflowSubmission {
    /// What the scheduler writes for a validated request, as the gateway submits it: JSON texts,
    /// the plan's edges and each task's attempt budget (`max_attempts`, else `defaultMaxAttempts`).
    public init(request: WorkflowRequest, plan: WorkflowPlan, defaultMaxAttempts: Int) {
        let tasks = zip(request.tasks, plan.tasks).map { task, planned in
            TaskSubmission(
                agentID: task.agentId,
                role: task.agentRole,
                inputJSON: JSONValue.object(task.inputData).compactJSONString,
                options: task.options,
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
