import NIOCore
import Synchronization

/// One shared (pipelined) connection of a ``RedisClient``: connected on first use, replaced when
/// it breaks.
///
/// When a connection attempt fails the slot is *down*: callers fail at once with that error
/// (a gateway answers 503 in microseconds instead of waiting through a backoff), while the slot
/// keeps reconnecting in the background with exponential backoff. The first caller after a
/// connection was lost connects in the foreground, so a healthy server costs no extra delay.
final class ConnectionSlot: Sendable {
    private enum Phase {
        /// No connection and no attempt under way.
        case idle
        /// A foreground attempt that callers wait for.
        case connecting(EventLoopFuture<RedisConnection>)
        case connected(RedisConnection)
        /// The last attempt failed; a background attempt is scheduled or running.
        case down(RedisError)
        case closed
    }

    private struct State {
        var phase: Phase = .idle
        var consecutiveFailures = 0
    }

    private let state = Mutex(State())
    private let eventLoop: any EventLoop
    private let configuration: RedisConfiguration

    init(eventLoop: any EventLoop, configuration: RedisConfiguration) {
        self.eventLoop = eventLoop
        self.configuration = configuration
    }

    private enum Action {
        case ready(RedisConnection)
        case wait(EventLoopFuture<RedisConnection>)
        case fail(RedisError)
    }

    /// The live connection; connects when there is none, fails at once while the server is down.
    func connection() async throws(RedisError) -> RedisConnection {
        let action = state.withLock { state -> Action in
            switch state.phase {
            case .connected(let connection):
                if connection.isActive { return .ready(connection) }
                return .wait(startForegroundAttempt(&state))
            case .connecting(let future):
                return .wait(future)
            case .down(let error):
                return .fail(error)
            case .idle:
                return .wait(startForegroundAttempt(&state))
            case .closed:
                return .fail(RedisError(.closed, "the Redis client was shut down"))
            }
        }
        switch action {
        case .ready(let connection):
            return connection
        case .fail(let error):
            throw error
        case .wait(let future):
            do {
                return try await future.get()
            } catch let error as RedisError {
                throw error
            } catch {
                throw RedisError(.connectionFailed, "\(error)")
            }
        }
    }

    /// Whether a connection is up now (without connecting).
    var isConnected: Bool {
        state.withLock { state in
            if case .connected(let connection) = state.phase { return connection.isActive }
            return false
        }
    }

    private func startForegroundAttempt(_ state: inout State) -> EventLoopFuture<RedisConnection> {
        let promise = eventLoop.makePromise(of: RedisConnection.self)
        state.phase = .connecting(promise.futureResult)
        connect(completing: promise)
        return promise.futureResult
    }

    private func connect(completing promise: EventLoopPromise<RedisConnection>) {
        let configuration = self.configuration
        let eventLoop = self.eventLoop
        promise.completeWithTask {
            try await RedisConnection.connect(configuration: configuration, eventLoop: eventLoop)
        }
        promise.futureResult.whenComplete { result in self.attemptEnded(result) }
    }

    private func attemptEnded(_ result: Result<RedisConnection, any Error>) {
        let retryIn = state.withLock { state -> Duration? in
            if case .closed = state.phase {
                if case .success(let connection) = result { connection.close() }
                return nil
            }
            switch result {
            case .success(let connection):
                state.phase = .connected(connection)
                state.consecutiveFailures = 0
                return nil
            case .failure(let error):
                state.consecutiveFailures += 1
                state.phase = .down(error as? RedisError ?? RedisError(.connectionFailed, "\(error)"))
                return backoff(afterFailures: state.consecutiveFailures)
            }
        }
        guard let retryIn else { return }
        // Background reconnect on the event loop's timer (no Task.sleep held per attempt).
        eventLoop.scheduleTask(in: TimeAmount(retryIn)) {
            let shouldTry = self.state.withLock { state -> Bool in
                if case .down = state.phase { return true }
                return false
            }
            guard shouldTry else { return }
            self.connect(completing: self.eventLoop.makePromise(of: RedisConnection.self))
        }
    }

    private func backoff(afterFailures failures: Int) -> Duration {
        let doubled = configuration.initialReconnectDelay * (1 << min(max(failures - 1, 0), 16))
        return min(doubled, configuration.maximumReconnectDelay)
    }

    /// Closes the connection, if any, and stops reconnecting.
    func close() {
        let connection = state.withLock { state -> RedisConnection? in
            defer { state.phase = .closed }
            if case .connected(let connection) = state.phase { return connection }
            return nil
        }
        connection?.close()
    }
}
