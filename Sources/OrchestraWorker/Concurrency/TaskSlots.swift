import Synchronization

/// The worker's capacity (`WORKER_CONCURRENCY`): claim loops take slots before claiming and each
/// finished task gives its slot back. Waiters are served in arrival order.
final class TaskSlots: Sendable {
    private struct Waiter {
        let id: Int
        let limit: Int
        let continuation: CheckedContinuation<Int, Never>
    }

    private struct State {
        var free: Int
        var nextID = 0
        var waiters: [Waiter] = []
        /// Acquisitions started and not yet resolved (granted or cancelled).
        var unresolved: Set<Int> = []
        /// Acquisitions cancelled before they queued their continuation.
        var cancelled: Set<Int> = []
    }

    private let state: Mutex<State>
    /// The number of slots in total.
    let capacity: Int

    /// `capacity` slots, all free.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        self.state = Mutex(State(free: max(1, capacity)))
    }

    /// Slots free right now.
    var available: Int { state.withLock { $0.free } }

    /// Acquisitions queued for a slot right now.
    var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Waits until at least one slot is free and takes up to `limit` of them. Returns how many it
    /// took: at least 1, or 0 when the calling task was cancelled while waiting.
    func acquire(upTo limit: Int) async -> Int {
        let limit = max(1, limit)
        let fast = state.withLock { state -> (granted: Int, id: Int) in
            if state.free > 0, state.waiters.isEmpty {
                let granted = min(limit, state.free)
                state.free -= granted
                return (granted, 0)
            }
            state.nextID += 1
            state.unresolved.insert(state.nextID)
            return (0, state.nextID)
        }
        if fast.granted > 0 { return fast.granted }
        let id = fast.id
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
                let granted = state.withLock { state -> Int? in
                    if state.cancelled.remove(id) != nil {
                        state.unresolved.remove(id)
                        return 0
                    }
                    state.waiters.append(Waiter(id: id, limit: limit, continuation: continuation))
                    return nil
                }
                if let granted { continuation.resume(returning: granted) }
                release(0)  // serve the queue in case slots came back before we queued
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let position = state.waiters.firstIndex(where: { $0.id == id }) {
                    state.unresolved.remove(id)
                    return state.waiters.remove(at: position)
                }
                if state.unresolved.contains(id) { state.cancelled.insert(id) }
                return nil
            }
            waiter?.continuation.resume(returning: 0)
        }
    }

    /// Takes up to `limit` free slots without waiting; returns how many (possibly 0).
    func tryAcquire(upTo limit: Int) -> Int {
        state.withLock { state in
            guard state.waiters.isEmpty else { return 0 }
            let granted = min(max(1, limit), state.free)
            state.free -= granted
            return granted
        }
    }

    /// Returns once at least one slot is free (without taking it): `true`, or `false` when the
    /// calling task was cancelled. A claim loop waits here before it blocks on an empty queue, so
    /// a loop waiting for work holds no capacity.
    func waitUntilAvailable() async -> Bool {
        let taken = await acquire(upTo: 1)
        guard taken > 0 else { return false }
        release(taken)
        return true
    }

    /// Gives `count` slots back and wakes waiters that can now run.
    func release(_ count: Int) {
        let served = state.withLock { state -> [(CheckedContinuation<Int, Never>, Int)] in
            state.free = min(capacity, state.free + max(0, count))
            var served: [(CheckedContinuation<Int, Never>, Int)] = []
            while state.free > 0, !state.waiters.isEmpty {
                let waiter = state.waiters.removeFirst()
                let granted = min(waiter.limit, state.free)
                state.free -= granted
                state.unresolved.remove(waiter.id)
                served.append((waiter.continuation, granted))
            }
            return served
        }
        for (continuation, granted) in served { continuation.resume(returning: granted) }
    }
}
