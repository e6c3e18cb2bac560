import OrchestraConcurrency
import OrchestraScheduler
import Synchronization

/// A claimed task while this worker runs it: the claim (with its fencing token) and who may
/// write its outcome (``TaskRunState``). Stopping it wakes the executor's provider call at once.
final class RunningTask: Sendable {
    /// The claim.
    let task: ClaimedTask
    private let state = Mutex(TaskRunState())
    private let stopped = AsyncEvent()
    private let lease: Mutex<ContinuousClock.Instant>

    /// When this worker claimed it.
    let claimedAt: ContinuousClock.Instant

    /// A task claimed just now with a lease of `leaseDuration`.
    init(_ task: ClaimedTask, leaseDuration: Duration) {
        self.task = task
        let now = ContinuousClock.now
        self.claimedAt = now
        self.lease = Mutex(now + leaseDuration)
    }

    /// Until when (on this process's monotonic clock) the lease is surely still this worker's,
    /// as far as it knows: the claim or the last successful renewal, plus the lease.
    var leaseDeadline: ContinuousClock.Instant { lease.withLock { $0 } }

    /// Records a successful renewal made at `renewedAt` for `leaseDuration`.
    func leaseRenewed(at renewedAt: ContinuousClock.Instant, for leaseDuration: Duration) {
        lease.withLock { $0 = max($0, renewedAt + leaseDuration) }
    }

    /// The queue reference, `<workflow_id>|<index>`.
    var ref: String { task.ref }

    /// Whether the task was stopped.
    var isStopped: Bool { state.withLock { $0.isStopped } }

    /// Why it was stopped (or will be once the current write ends).
    var stopReason: TaskRunState.StopReason? { state.withLock { $0.stopReason } }

    /// The executor asks to write; `false` when the task was stopped.
    func beginWrite() -> Bool { state.withLock { $0.beginWrite() } }

    /// The executor's write ended; `finishing` when it acknowledged the claim.
    func endWrite(finishing: Bool = false) {
        if state.withLock({ $0.endWrite(finishing: finishing) }) { stopped.signal() }
    }

    /// Stops the task for `reason` (see ``TaskRunState/stop(_:)``).
    @discardableResult
    func stop(_ reason: TaskRunState.StopReason) -> TaskRunState.StopResult {
        let result = state.withLock { $0.stop(reason) }
        if result == .stopped { stopped.signal() }
        return result
    }

    /// Returns when the task is stopped, or when the calling task is cancelled.
    func waitUntilStopped() async { await stopped.wait() }
}
