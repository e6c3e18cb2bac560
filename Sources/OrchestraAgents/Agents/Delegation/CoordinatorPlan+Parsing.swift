import OrchestraAPI

extension CoordinatorPlan {
    /// Reads a delegating agent's answer: a JSON object (alone, in a fenced ```` ```json ```` block,
    /// or with prose around it) of the form
    /// `{"subtasks": [{"agent_id", "agent_role", "task", "depends_on": [...]}, ...], "synthesis": "..."}`.
    ///
    /// Checks, in plan order: 1 to ``maxSubtasks`` subtasks; each `agent_id` valid per
    /// ``IdentifierSyntax``, unique in the plan, not one of `existingAgentIds` and not the synthesis
    /// step's name; `agent_role` 1 to 64 characters; `task` a non-blank string within the instruction
    /// size limit; `depends_on` (optional) naming only earlier subtasks, so a plan is acyclic by
    /// construction. A dependency on `coordinatorAgentId` itself is dropped (every subtask already
    /// runs after its coordinator); repeats are dropped. `synthesis`, when present and not `null`,
    /// must be a non-blank string. `id`, `role` and `instruction` are accepted for `agent_id`,
    /// `agent_role` and `task`; other members are ignored.
    public static func parse(
        output: String,
        coordinatorAgentId: String? = nil,
        existingAgentIds: Set<String> = []
    ) throws(CoordinatorPlanError) -> CoordinatorPlan {
        guard let object = JSONObjectExtraction.object(in: output, where: { $0["subtasks"] != nil }) else {
            throw CoordinatorPlanError(.noJSON)
        }
        guard let elements = object["subtasks"]?.arrayValue else { throw CoordinatorPlanError(.noSubtaskList) }
        guard !elements.isEmpty else { throw CoordinatorPlanError(.empty) }
        guard elements.count <= maxSubtasks else { throw CoordinatorPlanError(.tooMany(elements.count)) }

        let reserved = coordinatorAgentId.map(synthesisAgentId(for:))
        // Every id of the plan with its 1-based number, to tell forward references from unknown ids.
        var numberById: [String: Int] = [:]
        for (offset, element) in elements.enumerated() {
            if let id = (element["agent_id"] ?? element["id"])?.stringValue, numberById[id] == nil {
                numberById[id] = offset + 1
            }
        }

        var subtasks: [Subtask] = []
        for (offset, element) in elements.enumerated() {
            let number = offset + 1
            func fail(_ problem: CoordinatorPlanError.Problem) -> CoordinatorPlanError {
                CoordinatorPlanError(.subtask(number, problem))
            }
            guard let fields = element.objectValue else { throw fail(.notAnObject) }
            let agentId = try string(fields, "agent_id", alias: "id", number: number)
            guard IdentifierSyntax.isValid(agentId) else { throw fail(.invalidId(agentId)) }
            if let first = subtasks.firstIndex(where: { $0.agentId == agentId }) {
                throw fail(.duplicateId(agentId, firstNumber: first + 1))
            }
            if agentId == reserved { throw fail(.reservedId(agentId)) }
            if existingAgentIds.contains(agentId) || agentId == coordinatorAgentId { throw fail(.takenId(agentId)) }

            let role = try string(fields, "agent_role", alias: "role", number: number)
            guard (1...64).contains(role.unicodeScalars.count), !role.allSatisfy(\.isWhitespace) else { throw fail(.invalidRole) }

            let instruction = try string(fields, "task", alias: "instruction", number: number)
            guard !instruction.allSatisfy(\.isWhitespace) else { throw fail(.emptyInstruction) }
            let size = instruction.utf8.count
            guard size <= ValidationLimits().maxInstructionBytes else { throw fail(.instructionTooLong(size)) }

            var dependsOn: [String] = []
            if let value = fields["depends_on"], !value.isNull {
                guard let entries = value.arrayValue else { throw fail(.dependsOnNotAList) }
                for entry in entries {
                    guard let dependency = entry.stringValue else { throw fail(.dependsOnNotAList) }
                    if dependency == coordinatorAgentId || dependsOn.contains(dependency) { continue }
                    if dependency == agentId { throw fail(.selfDependency(dependency)) }
                    guard let target = numberById[dependency] else { throw fail(.unknownDependency(dependency)) }
                    guard target < number else { throw fail(.forwardReference(dependency, number: target)) }
                    dependsOn.append(dependency)
                }
            }
            subtasks.append(Subtask(agentId: agentId, agentRole: role, instruction: instruction, dependsOn: dependsOn))
        }

        var synthesis: String?
        if let value = object["synthesis"], !value.isNull {
            guard let text = value.stringValue, !text.allSatisfy(\.isWhitespace) else { throw CoordinatorPlanError(.invalidSynthesis) }
            synthesis = text
        }
        return CoordinatorPlan(subtasks: subtasks, synthesis: synthesis)
    }

    private static func string(_ fields: JSONObject, _ key: String, alias: String, number: Int) throws(CoordinatorPlanError) -> String {
        guard let value = fields[key] ?? fields[alias], !value.isNull else { throw CoordinatorPlanError(.subtask(number, .missing(key))) }
        guard let text = value.stringValue else { throw CoordinatorPlanError(.subtask(number, .notAString(key))) }
        return text
    }
}
