import NIOCore
import Synchronization

/// One shared (pipelined) connection of a ``RedisClient``: connected lazily, replaced when it
/// breaks, with exponential backoff between failed attempts.
final class ConnectionSlot: Sendable {
    private struct State {
        var connection: RedisConnection?
        var connecting: EventLoopFuture<RedisConnection>?
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
        case connect(EventLoopPromise<RedisConnection>, delay: Duration)
    }

    /// The live connection, connecting (after the backoff delay) when there is none.
    func connection() async throws(RedisError) -> RedisConnection {
        let action = state.withLock { state -> Action in
            if let connection = state.connection {
                if connection.isActive { return .ready(connection) }
                state.connection = nil
            }
            if let connecting = state.connecting { return .wait(connecting) }
            let promise = eventLoop.makePromise(of: RedisConnection.self)
            state.connecting = promise.futureResult
            return .connect(promise, delay: backoff(afterFailures: state.consecutiveFailures))
        }
        let future: EventLoopFuture<RedisConnection>
        switch action {
        case .ready(let connection):
            return connection
        case .wait(let connecting):
            future = connecting
        case .connect(let promise, let delay):
            future = promise.futureResult
            startConnecting(promise, delay: delay)
        }
        do {
            return try await future.get()
        } catch let error as RedisError {
            throw error
        } catch {
            throw RedisError(.connectionFailed, "\(error)")
        }
    }

    private func startConnecting(_ promise: EventLoopPromise<RedisConnection>, delay: Duration) {
        let configuration = self.configuration
        let eventLoop = self.eventLoop
        promise.completeWithTask {
            if delay > .zero { try? await Task.sleep(for: delay) }
            return try await RedisConnection.connect(configuration: configuration, eventLoop: eventLoop)
        }
        promise.futureResult.whenComplete { result in
            self.state.withLock { state in
                state.connecting = nil
                switch result {
                case .success(let connection):
                    state.connection = connection
                    state.consecutiveFailures = 0
                case .failure:
                    state.consecutiveFailures += 1
                }
            }
        }
    }

    private func backoff(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        let doubled = configuration.initialReconnectDelay * (1 << min(failures - 1, 16))
        return min(doubled, configuration.maximumReconnectDelay)
    }

    /// Closes the connection, if any; the next command connects again.
    func close() {
        let connection = state.withLock { state in
            defer { state.connection = nil }
            return state.connection
        }
        connection?.close()
    }
}
