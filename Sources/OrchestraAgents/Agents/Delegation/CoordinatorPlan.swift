public import OrchestraAPI

/// The answer of a delegating agent (``TaskOptions/delegate``): the subtasks it hands to
/// specialist agents, and optionally how their results are to be merged.
///
/// ```json
/// {"subtasks": [
///    {"agent_id": "ui", "agent_role": "frontend", "task": "Build the checkout form", "depends_on": []},
///    {"agent_id": "api", "agent_role": "backend", "task": "Build the payment endpoint", "depends_on": []},
///    {"agent_id": "tests", "agent_role": "qa", "task": "Test the checkout end to end", "depends_on": ["ui", "api"]}],
///  "synthesis": "Merge the form, the endpoint and the test report into one delivery note"}
/// ```
///
/// Parse a model's answer with ``parse(output:coordinatorAgentId:existingAgentIds:)``; turn a plan
/// into the tasks the scheduler appends with ``delegatedTasks(coordinatorAgentId:objective:coordinatorOptions:)``.
public struct CoordinatorPlan: Sendable, Hashable {
    /// One unit of delegated work.
    public struct Subtask: Sendable, Hashable {
        /// Its `agent_id`, unique in the workflow.
        public var agentId: String
        /// Its `agent_role`.
        public var agentRole: String
        /// Its instruction (`input_data.task`).
        public var instruction: String
        /// `agent_id`s of earlier subtasks of the plan whose outputs it needs, without repeats.
        public var dependsOn: [String]

        /// Creates a subtask.
        public init(agentId: String, agentRole: String, instruction: String, dependsOn: [String] = []) {
            self.agentId = agentId
            self.agentRole = agentRole
            self.instruction = instruction
            self.dependsOn = dependsOn
        }
    }

    /// The subtasks in plan order (each depends only on earlier ones).
    public var subtasks: [Subtask]
    /// How to merge the subtasks' results; `nil` for the default synthesis instruction.
    public var synthesis: String?

    /// Creates a plan without checks; prefer ``parse(output:coordinatorAgentId:existingAgentIds:)``.
    public init(subtasks: [Subtask], synthesis: String? = nil) {
        self.subtasks = subtasks
        self.synthesis = synthesis
    }

    /// The most subtasks a plan may have.
    public static let maxSubtasks = 20

    /// Appended to a delegating task's `agent_id` to name its synthesis step (``DelegationNaming``).
    public static let synthesisSuffix = DelegationNaming.synthesisSuffix

    /// The `agent_id` of the synthesis step of the delegating task `coordinatorAgentId`.
    public static func synthesisAgentId(for coordinatorAgentId: String) -> String {
        DelegationNaming.synthesisAgentId(for: coordinatorAgentId)
    }

    /// The plan as canonical JSON (`subtasks` with `agent_id`, `agent_role`, `task`, `depends_on`;
    /// `synthesis` when set), e.g. for the coordinator's result object.
    public var jsonValue: JSONValue {
        var object: JSONObject = [
            "subtasks": .array(
                subtasks.map { subtask in
                    [
                        "agent_id": .string(subtask.agentId), "agent_role": .string(subtask.agentRole),
                        "task": .string(subtask.instruction), "depends_on": .array(subtask.dependsOn.map(JSONValue.string)),
                    ]
                })
        ]
        if let synthesis { object["synthesis"] = .string(synthesis) }
        return .object(object)
    }

    /// A readable account of the plan, suitable as the delegating task's output text (what the
    /// subtasks that start after it see as its context):
    ///
    /// ```
    /// Delegated to 3 agents:
    /// 1. ui (frontend): Build the checkout form
    /// 2. api (backend): Build the payment endpoint
    /// 3. tests (qa), after ui, api: Test the checkout end to end
    /// Their results are merged by coordinator-synthesis.
    /// ```
    ///
    /// Instructions are shown on one line and cut at 300 characters.
    public func summary(coordinatorAgentId: String) -> String {
        let noun = subtasks.count == 1 ? "agent" : "agents"
        var lines = ["Delegated to \(subtasks.count) \(noun):"]
        for (offset, subtask) in subtasks.enumerated() {
            let after = subtask.dependsOn.isEmpty ? "" : ", after " + subtask.dependsOn.joined(separator: ", ")
            var instruction = subtask.instruction.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if instruction.count > 300 { instruction = String(instruction.prefix(300)) + "…" }
            lines.append("\(offset + 1). \(subtask.agentId) (\(subtask.agentRole))\(after): \(instruction)")
        }
        lines.append("Their results are merged by \(Self.synthesisAgentId(for: coordinatorAgentId)).")
        return lines.joined(separator: "\n")
    }
}
