public import OrchestraAPI

/// Builds an agent's user prompt (API.md §4): the instruction, then any other `input_data` keys,
/// then the outputs of its dependencies.
///
/// ```
/// <instruction>
///
/// Input:
/// {"language":"swift"}
///
/// Context from previous steps:
/// [Dependency a]
/// <output of a>
///
/// [Dependency b]
/// <output of b>
/// ```
///
/// Parts that are empty are left out along with their separating blank line. Dependencies contribute
/// their output text only, never a nested result object, so prompts do not grow along a chain.
public enum PromptBuilder {
    /// The output text of a finished dependency.
    public struct DependencyOutput: Sendable, Hashable {
        /// The dependency's `agent_id`.
        public var agentId: String
        /// Its output text.
        public var output: String

        /// Creates a dependency output.
        public init(agentId: String, output: String) {
            self.agentId = agentId
            self.output = output
        }
    }

    /// The header line that introduces dependency outputs.
    public static let contextHeader = "Context from previous steps:"

    /// The user prompt for a task with `inputData` whose dependencies produced `dependencies`
    /// (in the task's dependency order).
    public static func userPrompt(inputData: JSONObject, dependencies: [DependencyOutput] = []) -> String {
        var sections: [String] = []
        let instruction = inputData["task"]?.stringValue
        if let instruction, !instruction.isEmpty {
            sections.append(instruction)
        }
        var otherInputs = inputData
        if instruction != nil { otherInputs["task"] = nil }
        if !otherInputs.isEmpty {
            sections.append("Input:\n" + JSONValue.object(otherInputs).compactJSONString)
        }
        if let context = contextBlock(dependencies) {
            sections.append(context)
        }
        return sections.joined(separator: "\n\n")
    }

    /// The user prompt for `task` given its dependencies' outputs.
    public static func userPrompt(for task: AgentTask, dependencies: [DependencyOutput] = []) -> String {
        userPrompt(inputData: task.inputData, dependencies: dependencies)
    }

    /// The `Context from previous steps:` block alone, or `nil` when there are no dependencies.
    public static func contextBlock(_ dependencies: [DependencyOutput]) -> String? {
        guard !dependencies.isEmpty else { return nil }
        let blocks = dependencies.map { "[Dependency \($0.agentId)]\n\($0.output)" }
        return contextHeader + "\n" + blocks.joined(separator: "\n\n")
    }
}
