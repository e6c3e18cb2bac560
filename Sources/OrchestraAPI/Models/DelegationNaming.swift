/// How a delegating task's synthesis step is named. Part of the contract: validation reserves the
/// name (no submitted task may take it), and a delegating task's plan adds a task by it.
public enum DelegationNaming {
    /// Appended to a delegating task's `agent_id` to name its synthesis step.
    public static let synthesisSuffix = "-synthesis"

    /// The `agent_id` of the synthesis step of the delegating task `coordinatorAgentId`.
    public static func synthesisAgentId(for coordinatorAgentId: String) -> String {
        coordinatorAgentId + synthesisSuffix
    }
}
