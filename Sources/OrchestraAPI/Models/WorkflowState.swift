/// The status of a workflow, exactly the five values of the Phase 2 contract.
public enum WorkflowState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Accepted; no task has started.
    case pending
    /// At least one task has started and not all have finished.
    case running
    /// Every task completed.
    case completed
    /// Every task finished and none completed.
    case failed
    /// Every task finished; some completed and some failed.
    case partial

    /// Whether the workflow will not change state again.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .partial: return true
        case .pending, .running: return false
        }
    }

    /// The terminal status for a finished workflow with the given task counts:
    /// `completed` when all completed, `failed` when none did, `partial` otherwise.
    public static func terminal(completed: Int, failed: Int) -> WorkflowState {
        if failed == 0 { return .completed }
        if completed == 0 { return .failed }
        return .partial
    }
}
