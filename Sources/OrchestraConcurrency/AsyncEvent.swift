import Synchronization

/// A one-shot event any number of tasks can wait for: once ``signal()`` is called every waiter
/// resumes, and later waits return at once. Waiting is cancellable (it then returns early).
public final class AsyncEvent: Sendable {
    private struct State {
        var signalled = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Waits cancelled before they registered their continuation.
        var cancelled: Set<Int> = []
    }

    private let state = Mutex(State())

    /// An event not yet signalled.
    public init() {}

    /// Whether ``signal()`` was called.
    public var isSignalled: Bool { state.withLock { $0.signalled } }

    /// Wakes every waiter; later calls do nothing.
    public func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.signalled else { return [] }
            state.signalled = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the event is signalled or the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { state -> Int? in
            guard !state.signalled else { return nil }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.signalled || state.cancelled.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                if !state.signalled { state.cancelled.insert(id) }
                return nil
            }
            waiter?.resume()
        }
    }
}
