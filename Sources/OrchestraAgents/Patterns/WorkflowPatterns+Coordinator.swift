import OrchestraAPI

extension WorkflowPatterns {
    /// Longest `objective`, in bytes.
    static let maxObjectiveBytes = 16 * 1024

    /// `coordinator-supervised`: one coordinator task that delegates (``TaskOptions/delegate``): its
    /// plan's subtasks are added to the workflow at run time, then a synthesis step merges their
    /// results. Parameter: `objective`.
    public static let coordinatorSupervised = WorkflowPattern(
        name: "coordinator-supervised",
        description: """
            A coordinator plans the objective and delegates it: its plan's subtasks (frontend, backend, QA, …) are added \
            to the workflow and run in dependency order, then a synthesis step merges their results.
            """,
        workflowType: .graph,
        parameters: [
            PatternParameter(
                name: "objective", description: "What the team is to achieve, e.g. \"Build e-commerce checkout flow\".",
                kind: .text(maxBytes: maxObjectiveBytes), isRequired: true)
        ]
    ) { arguments in
        [agent(.coordinator, "coordinator").task(arguments["objective"], delegate: true)]
    }
}
