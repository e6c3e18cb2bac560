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
        /// Events signalled with this one (``forward(to:)``).
        var followers: [Int: AsyncEvent] = [:]
    }

    private let state = Mutex(State())

    /// An event not yet signalled.
    public init() {}

    /// Whether ``signal()`` was called.
    public var isSignalled: Bool { state.withLock { $0.signalled } }

    /// Tasks waiting right now (so a test can tell that a waiter is in place without a pause).
    public var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Wakes every waiter; later calls do nothing.
    public func signal() {
        let (waiters, followers) = state.withLock { state -> ([CheckedContinuation<Void, Never>], [AsyncEvent]) in
            guard !state.signalled else { return ([], []) }
            state.signalled = true
            defer {
                state.waiters.removeAll()
                state.followers.removeAll()
            }
            return (Array(state.waiters.values), Array(state.followers.values))
        }
        for waiter in waiters { waiter.resume() }
        for follower in followers { follower.signal() }
    }

    /// Signals `other` too when this event is signalled (at once if it already was) until
    /// ``stopForwarding(_:)`` is called with the returned token (`nil`: it was signalled already).
    public func forward(to other: AsyncEvent) -> Int? {
        let token = state.withLock { state -> Int? in
            guard !state.signalled else { return nil }
            state.nextID += 1
            state.followers[state.nextID] = other
            return state.nextID
        }
        if token == nil { other.signal() }
        return token
    }

    /// Ends a ``forward(to:)``.
    public func stopForwarding(_ token: Int) {
        _ = state.withLock { $0.followers.removeValue(forKey: token) }
    }

    /// Returns once the event is signalled, `limit` passed (which signals it), or the calling
    /// task is cancelled. No task of its own: the deadline is an entry in the shared ticker of
    /// ``withTimeLimit(_:operation:)``, so a subscriber that waits thousands of times a second
    /// costs a table entry per wait.
    public func wait(atMost limit: Duration) async {
        let entry = TimeLimits.shared.add(deadline: .now + limit) { [self] in signal() }
        defer { TimeLimits.shared.remove(entry) }
        await wait()
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
