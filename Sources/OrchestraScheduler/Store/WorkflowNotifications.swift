public import Logging
import OrchestraConcurrency
public import OrchestraRedis
public import ServiceLifecycle
import Synchronization

/// Listens on every shard's notification channel (`done <id>`, `cancel <id>`, sharded pub/sub so
/// on Redis Cluster each message stays on its shard's node) and wakes local
/// waiters: the gateway's long-polls for a finished workflow, a worker's running tasks of a
/// cancelled one. Resubscribes after a lost connection.
public final class WorkflowNotifications: Service, Sendable {
    /// A notification.
    public enum Event: Sendable, Hashable {
        /// The workflow reached a terminal status.
        case finished(String)
        /// The workflow was cancelled (deleted).
        case cancelled(String)
    }

    private struct Waiter {
        let id: Int
        let continuation: AsyncStream<Bool>.Continuation
    }

    private struct State {
        var nextID = 0
        var waiters: [String: [Waiter]] = [:]
        var listeners: [Int: @Sendable (Event) -> Void] = [:]
        var subscribed = false
    }

    private let redis: RedisClient
    private let channels: [String]
    private let state = Mutex(State())
    private let logger: Logger

    /// Notifications of `keys`' shards over `redis`.
    public init(redis: RedisClient, keys: KeySchema, logger: Logger = Logger(label: "orchestra.notifications")) {
        self.redis = redis
        self.channels = keys.shards.map(\.notifyChannel)
        self.logger = logger
    }

    /// Whether the subscription is currently established.
    public var isSubscribed: Bool { state.withLock { $0.subscribed } }

    /// Waits registered right now (the gateway's long-polls).
    public var waiterCount: Int { state.withLock { $0.waiters.values.reduce(0) { $0 + $1.count } } }

    /// Subscribes until graceful shutdown or cancellation, resubscribing after errors.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var delay = Duration.milliseconds(50)
            while !Task.isCancelled {
                do {
                    let subscription = try await self.redis.subscribe(to: self.channels, sharded: true)
                    self.state.withLock { $0.subscribed = true }
                    delay = .milliseconds(50)
                    try await withTaskCancellationHandler {
                        for try await message in subscription { self.dispatch(message.text) }
                    } onCancel: {
                        subscription.unsubscribe()
                    }
                } catch {
                    if !Task.isCancelled { self.logger.warning("notification subscription lost", metadata: ["error": "\(error)"]) }
                }
                self.state.withLock { $0.subscribed = false }
                if Task.isCancelled { break }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
        let waiters = state.withLock { state in
            defer { state.waiters.removeAll() }
            return state.waiters.values.flatMap { $0 }
        }
        for waiter in waiters { waiter.continuation.finish() }
    }

    /// Registers `listener` for every event; returns a token for ``removeListener(_:)``.
    public func addListener(_ listener: @escaping @Sendable (Event) -> Void) -> Int {
        state.withLock { state in
            state.nextID += 1
            state.listeners[state.nextID] = listener
            return state.nextID
        }
    }

    /// Removes a listener.
    public func removeListener(_ token: Int) {
        _ = state.withLock { $0.listeners.removeValue(forKey: token) }
    }

    /// Waits until `id` finishes or is cancelled (`true`), or `timeout` passes (`false`).
    /// `isFinished` is checked after the waiter is registered, so no notification is missed.
    public func wait(
        for id: String,
        timeout: Duration,
        isFinished: @Sendable () async -> Bool
    ) async -> Bool {
        let (stream, continuation) = AsyncStream<Bool>.makeStream()
        let token = state.withLock { state in
            state.nextID += 1
            state.waiters[id, default: []].append(Waiter(id: state.nextID, continuation: continuation))
            return state.nextID
        }
        defer { removeWaiter(id: id, token: token) }
        if await isFinished() { return true }
        let notified = try? await withTimeLimit(timeout) {
            for await value in stream { return value }
            return false
        }
        return notified ?? false
    }

    private func removeWaiter(id: String, token: Int) {
        state.withLock { state in
            guard var list = state.waiters[id] else { return }
            list.removeAll { $0.id == token }
            state.waiters[id] = list.isEmpty ? nil : list
        }
    }

    private func dispatch(_ text: String) {
        let event: Event
        if text.hasPrefix("done ") {
            event = .finished(String(text.dropFirst(5)))
        } else if text.hasPrefix("cancel ") {
            event = .cancelled(String(text.dropFirst(7)))
        } else {
            return
        }
        let id =
            switch event {
            case .finished(let id), .cancelled(let id): id
            }
        let (waiters, listeners) = state.withLock { state in
            (state.waiters.removeValue(forKey: id) ?? [], Array(state.listeners.values))
        }
        for waiter in waiters {
            waiter.continuation.yield(true)
            waiter.continuation.finish()
        }
        for listener in listeners { listener(event) }
    }
}

extension WorkflowNotifications: CustomStringConvertible {
    /// A short name for logs (ServiceLifecycle logs every service it starts): never its
    /// configuration, which holds secrets.
    public var description: String { "WorkflowNotifications" }
}
