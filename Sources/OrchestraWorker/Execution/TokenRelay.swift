import Logging
import OrchestraConcurrency
import OrchestraRedis
import OrchestraScheduler
import Synchronization

/// Carries the text a provider streams for one attempt into `task.token` events (API.md §6),
/// coalesced: buffered pieces go out when ``flushInterval`` has passed since the last event or
/// ``flushCharacters`` are waiting, and all of them when the attempt ends.
///
/// The provider's stream never waits for Redis: ``append(_:)`` only buffers, and ``run()`` (a
/// child task of the attempt) does the writes, one at a time so deltas stay in order. A write
/// that fails is logged and its text dropped; once the fenced function answers that the claim is
/// no longer this worker's (or the workflow is gone) nothing more is written.
final class TokenRelay: Sendable {
    /// Where buffered text goes: one `task.token` event per call.
    typealias Sink = @Sendable (String) async throws(RedisError) -> AcknowledgeOutcome

    private enum Step {
        case write(String)
        case waitForText(AsyncEvent)
        case waitUntil(ContinuousClock.Instant, AsyncEvent)
        case end
    }

    private struct State {
        var buffer = ""
        var bufferedCharacters = 0
        var lastFlush: ContinuousClock.Instant?
        var finishing = false
        var stopped = false
        /// Wakes ``run()``: on any text while it waits for some, when full or finishing otherwise.
        var wake: AsyncEvent?
        var wakeOnAnyText = false
    }

    let flushInterval: Duration
    let flushCharacters: Int
    private let sink: Sink
    private let logger: Logger
    private let state = Mutex(State())

    init(flushInterval: Duration, flushCharacters: Int, logger: Logger, sink: @escaping Sink) {
        self.flushInterval = flushInterval
        self.flushCharacters = max(1, flushCharacters)
        self.logger = logger
        self.sink = sink
    }

    /// Buffers a piece of the answer; never waits. Pass it as the provider's `onText`.
    @Sendable func append(_ text: String) async {
        guard !text.isEmpty else { return }
        let wake = state.withLock { state -> AsyncEvent? in
            guard !state.stopped, !state.finishing else { return nil }
            state.buffer += text
            state.bufferedCharacters += text.count
            guard state.wakeOnAnyText || state.bufferedCharacters >= flushCharacters else { return nil }
            defer { state.wake = nil }
            return state.wake
        }
        wake?.signal()
    }

    /// Ends the attempt's stream: ``run()`` writes what is buffered and returns. With `discarding`
    /// (the task was stopped) the buffer is dropped instead.
    func finish(discarding: Bool = false) {
        let wake = state.withLock { state -> AsyncEvent? in
            state.finishing = true
            if discarding {
                state.stopped = true
                state.buffer = ""
            }
            defer { state.wake = nil }
            return state.wake
        }
        wake?.signal()
    }

    /// Writes the buffered text as it becomes due, until ``finish(discarding:)`` and the last write.
    func run() async {
        // A cancelled attempt writes nothing more (and its waits would no longer wait).
        while !Task.isCancelled {
            switch nextStep() {
            case .end:
                return
            case .write(let text):
                await write(text)
            case .waitForText(let wake):
                await wake.wait()
            case .waitUntil(let due, let wake):
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { try? await Task.sleep(until: due) }
                    group.addTask { await wake.wait() }
                    await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    private func nextStep() -> Step {
        state.withLock { state in
            if state.stopped { return .end }
            let now = ContinuousClock.now
            if state.buffer.isEmpty {
                if state.finishing { return .end }
                let wake = AsyncEvent()
                state.wake = wake
                state.wakeOnAnyText = true
                return .waitForText(wake)
            }
            let due = state.lastFlush.map { $0 + flushInterval } ?? now
            if state.finishing || state.bufferedCharacters >= flushCharacters || now >= due {
                defer {
                    state.buffer = ""
                    state.bufferedCharacters = 0
                    state.lastFlush = now
                }
                return .write(state.buffer)
            }
            let wake = AsyncEvent()
            state.wake = wake
            state.wakeOnAnyText = false
            return .waitUntil(due, wake)
        }
    }

    private func write(_ text: String) async {
        do {
            let outcome = try await sink(text)
            if outcome != .ok {
                logger.debug("token events stopped", metadata: ["outcome": "\(outcome)"])
                state.withLock {
                    $0.stopped = true
                    $0.buffer = ""
                }
            }
        } catch {
            logger.warning("token event dropped", metadata: ["error": "\(error)", "characters": "\(text.count)"])
        }
    }
}
