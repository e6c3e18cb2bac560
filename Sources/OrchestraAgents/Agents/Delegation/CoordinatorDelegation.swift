import OrchestraAPI

/// The prompt text that makes a delegating agent (``TaskOptions/delegate``) answer with a
/// ``CoordinatorPlan``. The worker appends it to the agent's system prompt and asks the provider
/// for a plan (`LLMRequest.responseFormat = .coordinatorPlan`).
public enum CoordinatorDelegation {
    /// Taken ids listed in the prompt at most; the plan check rejects the others anyway.
    public static let maxListedReservedIds = 100

    /// The instructions on the plan's form, appended to the agent's system prompt.
    public static let systemPromptSuffix = """
        You delegate: do not do the work yourself. Break the objective into 1 to \(CoordinatorPlan.maxSubtasks) subtasks \
        for specialist agents and answer with only a JSON object of this form, without any other text:
        {"subtasks": [{"agent_id": "api", "agent_role": "backend", "task": "<instruction>", "depends_on": []}, \
        {"agent_id": "tests", "agent_role": "qa", "task": "<instruction>", "depends_on": ["api"]}], \
        "synthesis": "<how to merge the subtasks' results into the final answer>"}
        Rules:
        - agent_id: unique, 1 to \(IdentifierSyntax.maxLength) characters of letters, digits, '.', '_', ':' or '-'.
        - agent_role: frontend, backend, qa, debugger or coordinator (another name gets a generic assistant).
        - task: a complete, self-contained instruction; its agent sees only it, this plan and the outputs \
        of the subtasks it depends on.
        - depends_on: agent_ids of earlier subtasks whose outputs it needs; [] when it needs none. \
        Subtasks without dependencies run in parallel.
        - synthesis: optional; a final step merges all results following it.
        """

    /// The delegating agent's full system prompt: `base` (its role's or its own prompt), then
    /// ``systemPromptSuffix``, then the ids it must not use: `reservedAgentIds` (the workflow's
    /// tasks) and, given `coordinatorAgentId`, its own and its synthesis step's.
    public static func systemPrompt(base: String, coordinatorAgentId: String? = nil, reservedAgentIds: [String] = []) -> String {
        var prompt = base.isEmpty ? systemPromptSuffix : base + "\n\n" + systemPromptSuffix
        var reserved: [String] = []
        var seen: Set<String> = []
        let own = coordinatorAgentId.map { [$0, CoordinatorPlan.synthesisAgentId(for: $0)] } ?? []
        for id in own + reservedAgentIds where seen.insert(id).inserted {
            reserved.append(id)
        }
        if !reserved.isEmpty {
            let listed = reserved.prefix(maxListedReservedIds).joined(separator: ", ")
            let more = reserved.count > maxListedReservedIds ? " and \(reserved.count - maxListedReservedIds) more" : ""
            prompt += "\n- These agent_ids are taken; do not use them: \(listed)\(more)."
        }
        return prompt
    }
}
