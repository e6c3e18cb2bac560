/// The status of one task, exactly the four values of the Phase 2 contract.
public enum TaskState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for its dependencies or for a worker.
    case pending
    /// Claimed by a worker.
    case running
    /// Finished with a result.
    case completed
    /// Finished with an error (after its retries, or because a dependency failed).
    case failed

    /// Whether the task will not change state again.
    public var isTerminal: Bool { self == .completed || self == .failed }
}
