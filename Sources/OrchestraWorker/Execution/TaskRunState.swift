/// Who may write a running task's outcome: the executor (its answer, completion or failure) or
/// whoever stops it (a cancelled workflow, a lost lease, shutdown). Exactly one of them writes.
///
/// ```
/// running ──beginWrite──▶ writing ──endWrite──▶ running
///    │                      │
///    └──stop──▶ stopped ◀───┘ (stop while writing: deferred until endWrite; shutdown waits instead)
/// ```
///
/// A write that acknowledges the claim (completion or failure) ends with `endWrite(finishing: true)`:
/// the task is then finished, the claim is no longer this worker's, and a later stop is a no-op —
/// a renewal that raced the acknowledgement reports the lease "lost" without anything being wrong.
struct TaskRunState: Sendable, Hashable {
    /// Why a task stopped before its executor finished it.
    enum StopReason: String, Sendable, Hashable {
        /// Its workflow was cancelled (deleted): write nothing.
        case workflowCancelled = "workflow cancelled"
        /// Its lease went to another worker: write nothing (the write would be fenced anyway).
        case leaseLost = "lease lost"
        /// The worker is shutting down and hands the task back.
        case shutdown = "worker shutdown"
    }

    /// What a stop request achieved.
    enum StopResult: Sendable, Hashable {
        /// Stopped now: the stopper owns the task's outcome (the executor writes nothing).
        case stopped
        /// The executor is writing; the stop takes effect when that write ends.
        case deferred
        /// The executor is writing and a shutdown does not interrupt writes: let it finish.
        case busy
        /// It was stopped (or is being stopped) already.
        case alreadyStopped
        /// The executor acknowledged the claim already: there is nothing to stop.
        case finished
    }

    private(set) var isWriting = false
    /// The reason of a stop that happened or waits for the current write to end.
    private(set) var stopReason: StopReason?
    /// Whether the task is stopped (a deferred stop counts once the write has ended).
    private(set) var isStopped = false
    /// Whether the executor acknowledged the claim (completed or failed it).
    private(set) var isFinished = false

    /// The executor asks to write; `false` when the task is stopped or a stop is pending.
    mutating func beginWrite() -> Bool {
        guard stopReason == nil, !isWriting, !isFinished else { return false }
        isWriting = true
        return true
    }

    /// The executor's write ended (`finishing`: it acknowledged the claim); returns `true` when a
    /// deferred stop now takes effect.
    mutating func endWrite(finishing: Bool = false) -> Bool {
        guard isWriting else { return false }
        isWriting = false
        if finishing { isFinished = true }
        if stopReason != nil, !isStopped {
            isStopped = true
            return true
        }
        return false
    }

    /// Asks the task to stop for `reason`.
    mutating func stop(_ reason: StopReason) -> StopResult {
        guard !isFinished else { return .finished }
        guard stopReason == nil else { return .alreadyStopped }
        if isWriting {
            if reason == .shutdown { return .busy }
            stopReason = reason
            return .deferred
        }
        stopReason = reason
        isStopped = true
        return .stopped
    }
}
