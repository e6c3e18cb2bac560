public import OrchestraAPI

extension CoordinatorPlan {
    /// What the synthesis step is asked when the plan gives no `synthesis` instruction.
    public static let defaultSynthesisInstruction = """
        Merge the results of the delegated subtasks in the context into one coherent, complete deliverable. \
        Resolve any conflicts between them, keep every concrete artefact (code, tests, decisions), and list what is still open.
        """

    /// The tasks the delegating task `coordinatorAgentId` adds to its workflow: the subtasks in
    /// plan order, then its synthesis step (`<coordinatorAgentId>-synthesis`, role `coordinator`)
    /// depending on every subtask. The synthesis instruction is the plan's `synthesis` (or
    /// ``defaultSynthesisInstruction``) followed by the original `objective` when given.
    ///
    /// Each inherits the delegating task's model, temperature, token limit and timeout from
    /// `coordinatorOptions`; none inherits its system prompt or its delegation.
    public func delegatedTasks(coordinatorAgentId: String, objective: String?, coordinatorOptions: TaskOptions) -> [DelegatedTask] {
        let options = TaskOptions(
            llmModel: coordinatorOptions.llmModel,
            temperature: coordinatorOptions.temperature,
            maxTokens: coordinatorOptions.maxTokens,
            timeoutSeconds: coordinatorOptions.timeoutSeconds
        )
        var positionById: [String: Int] = [:]
        var tasks: [DelegatedTask] = []
        for (position, subtask) in subtasks.enumerated() {
            positionById[subtask.agentId] = position
            tasks.append(
                DelegatedTask(
                    agentId: subtask.agentId,
                    agentRole: subtask.agentRole,
                    inputData: ["task": .string(subtask.instruction)],
                    options: options,
                    dependencies: subtask.dependsOn.compactMap { positionById[$0] },
                    dependsOn: subtask.dependsOn.isEmpty ? [coordinatorAgentId] : subtask.dependsOn,
                    isSynthesis: false
                ))
        }
        var instruction = synthesis ?? Self.defaultSynthesisInstruction
        if let objective, !objective.allSatisfy(\.isWhitespace) {
            instruction += "\n\nThe original objective: " + objective
        }
        tasks.append(
            DelegatedTask(
                agentId: Self.synthesisAgentId(for: coordinatorAgentId),
                agentRole: AgentRole.coordinator.rawValue,
                inputData: ["task": .string(instruction)],
                options: options,
                dependencies: Array(subtasks.indices),
                dependsOn: subtasks.map(\.agentId),
                isSynthesis: true
            ))
        return tasks
    }
}
