/// The execution structure of a validated workflow: task ids, dependency and dependent indices,
/// and the roots that are ready at submit. The scheduler writes Redis from this.
public struct WorkflowPlan: Sendable, Hashable {
    /// The workflow's id (as submitted, or generated).
    public var workflowId: String
    /// How the tasks are ordered.
    public var workflowType: WorkflowType
    /// One entry per task, in request order.
    public var tasks: [PlannedTask]
    /// Indices of the tasks with no dependencies, ascending.
    public var roots: [Int]

    /// Derives the plan of `request` under `workflowId`.
    ///
    /// `request` must have passed ``WorkflowValidator``; graph dependencies naming no task (which
    /// validation rejects) are ignored here rather than trapping.
    public init(request: WorkflowRequest, workflowId: String) {
        let count = request.tasks.count
        var dependencies = [[Int]](repeating: [], count: count)
        switch request.workflowType {
        case .sequential:
            for index in 1..<max(count, 1) { dependencies[index] = [index - 1] }
        case .parallel:
            break
        case .graph:
            var indexById: [String: Int] = [:]
            for (index, task) in request.tasks.enumerated() where indexById[task.agentId] == nil {
                indexById[task.agentId] = index
            }
            for (index, task) in request.tasks.enumerated() {
                var seen: Set<Int> = []
                dependencies[index] = task.dependsOn.compactMap { indexById[$0] }.filter { $0 != index && seen.insert($0).inserted }
            }
        }
        var dependents = [[Int]](repeating: [], count: count)
        for (index, inputs) in dependencies.enumerated() {
            for input in inputs { dependents[input].append(index) }
        }

        self.workflowId = workflowId
        self.workflowType = request.workflowType
        self.tasks = request.tasks.enumerated().map { index, task in
            PlannedTask(
                index: index,
                taskId: Self.taskId(workflowId: workflowId, index: index),
                agentId: task.agentId,
                dependencies: dependencies[index],
                dependents: dependents[index]
            )
        }
        self.roots = dependencies.indices.filter { dependencies[$0].isEmpty }
    }

    /// Derives the plan, using the request's `workflow_id` or, when absent, one from `generateWorkflowId`
    /// (a random lowercase UUID v4 by default; inject a fixed one in tests).
    public init(request: WorkflowRequest, generateWorkflowId: () -> String = IdentifierSyntax.randomWorkflowId) {
        self.init(request: request, workflowId: request.workflowId ?? generateWorkflowId())
    }

    /// The API's task id: `"{workflow_id}-task-{index}"`.
    public static func taskId(workflowId: String, index: Int) -> String {
        "\(workflowId)-task-\(index)"
    }
}
