import OrchestraConcurrency
import OrchestraScheduler
import Synchronization

/// The tasks this worker runs now, by queue reference: what the lease renewal renews, what a
/// cancellation notice stops, what shutdown waits for or hands back.
final class RunningTasks: Sendable {
    private struct State {
        var tasks: [String: RunningTask] = [:]
        var drainWaiters: [AsyncEvent] = []
    }

    private let state = Mutex(State())

    init() {}

    /// How many run.
    var count: Int { state.withLock { $0.tasks.count } }

    /// A snapshot of all of them.
    var all: [RunningTask] { state.withLock { Array($0.tasks.values) } }

    /// Adds a task that was just claimed.
    func insert(_ task: RunningTask) {
        state.withLock { $0.tasks[task.ref] = task }
    }

    /// Removes a task whose execution ended.
    func remove(_ task: RunningTask) {
        let waiters = state.withLock { state -> [AsyncEvent] in
            if state.tasks[task.ref] === task { state.tasks[task.ref] = nil }
            guard state.tasks.isEmpty else { return [] }
            defer { state.drainWaiters.removeAll() }
            return state.drainWaiters
        }
        for waiter in waiters { waiter.signal() }
    }

    /// Stops every task of `workflowID`; returns how many were running.
    @discardableResult
    func stop(workflowID: String, reason: TaskRunState.StopReason) -> Int {
        let matching = state.withLock { state in state.tasks.values.filter { $0.task.workflowID == workflowID } }
        for task in matching { task.stop(reason) }
        return matching.count
    }

    /// Returns when no task runs (at once if none does), or when the calling task is cancelled.
    func waitUntilEmpty() async {
        let event = AsyncEvent()
        let empty = state.withLock { state in
            if state.tasks.isEmpty { return true }
            state.drainWaiters.append(event)
            return false
        }
        if !empty { await event.wait() }
    }

    /// Waits until no task runs or `timeout` passes; `true` when none runs.
    func waitUntilEmpty(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.waitUntilEmpty()
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first || count == 0
        }
    }
}
