import Logging
import OrchestraConcurrency
import OrchestraRedis
import OrchestraScheduler
import Synchronization
import Testing

@testable import OrchestraWorker

/// The coalescing of streamed text into token events, against a recording sink (the Redis side
/// is covered by the worker and end-to-end tests).
@Suite("Token relay", .timeLimit(.minutes(5)))
struct TokenRelayTests {
    /// Records what the relay writes and answers with scripted outcomes.
    final class Recorder: Sendable {
        private struct State {
            var writes: [(text: String, at: ContinuousClock.Instant)] = []
            var outcomes: [Result<AcknowledgeOutcome, RedisError>] = []
            var waiters: [(count: Int, event: AsyncEvent)] = []
        }
        private let state: Mutex<State>

        init(outcomes: [Result<AcknowledgeOutcome, RedisError>] = []) {
            state = Mutex(State(outcomes: outcomes))
        }

        var writes: [String] { state.withLock { $0.writes.map(\.text) } }
        var times: [ContinuousClock.Instant] { state.withLock { $0.writes.map(\.at) } }

        func sink(_ text: String) async throws(RedisError) -> AcknowledgeOutcome {
            let (outcome, ready) = state.withLock { state in
                state.writes.append((text, .now))
                let outcome = state.outcomes.isEmpty ? .success(.ok) : state.outcomes.removeFirst()
                let ready = state.waiters.filter { $0.count <= state.writes.count }.map(\.event)
                state.waiters.removeAll { $0.count <= state.writes.count }
                return (outcome, ready)
            }
            for event in ready { event.signal() }
            return try outcome.get()
        }

        /// Returns once `count` writes happened.
        func waitForWrites(_ count: Int) async {
            let event = AsyncEvent()
            let done = state.withLock { state in
                if state.writes.count >= count { return true }
                state.waiters.append((count, event))
                return false
            }
            if !done { await event.wait() }
        }
    }

    private func relay(_ recorder: Recorder, interval: Duration = .seconds(60), characters: Int = 256) -> TokenRelay {
        var logger = Logger(label: "test.tokens")
        logger.logLevel = .critical
        return TokenRelay(flushInterval: interval, flushCharacters: characters, logger: logger) { text throws(RedisError) in
            try await recorder.sink(text)
        }
    }

    @Test func theFirstPieceGoesOutAtOnceThenFullBuffersAndTheRestAtTheEnd() async throws {
        let recorder = Recorder()
        let relay = relay(recorder)
        let pieces = (0..<100).map { "piece \($0) " }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await relay.run() }
            await relay.append(pieces[0])
            await recorder.waitForWrites(1)
            for piece in pieces.dropFirst() { await relay.append(piece) }
            relay.finish()
        }
        let writes = recorder.writes
        #expect(writes.joined() == pieces.joined())
        #expect(writes.first == pieces[0], "the first piece is not held back")
        for write in writes.dropFirst().dropLast() {
            #expect(write.count >= 256, "with a long interval, only full buffers are written before the end")
        }
        #expect(writes.count < 20, "coalesced, not one event per piece")
    }

    @Test func piecesArrivingWithinTheIntervalGoOutTogetherAfterIt() async throws {
        let recorder = Recorder()
        let relay = relay(recorder, interval: .milliseconds(50))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await relay.run() }
            await relay.append("a")
            await recorder.waitForWrites(1)
            await relay.append("b")
            await relay.append("c")
            await recorder.waitForWrites(2)
            relay.finish()
        }
        #expect(recorder.writes == ["a", "bc"])
        let times = recorder.times
        #expect(times[1] - times[0] >= .milliseconds(50))
    }

    @Test func aStaleClaimStopsTheEvents() async throws {
        let recorder = Recorder(outcomes: [.success(.stale)])
        let relay = relay(recorder, interval: .zero)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await relay.run() }
            await relay.append("first")
            await recorder.waitForWrites(1)
            await relay.append("second")
            relay.finish()
        }
        #expect(recorder.writes == ["first"])
    }

    @Test func aFailedWriteIsDroppedAndLaterTextStillGoesOut() async throws {
        let recorder = Recorder(outcomes: [.failure(RedisError(.closed, "test"))])
        let relay = relay(recorder, interval: .zero)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await relay.run() }
            await relay.append("lost")
            await recorder.waitForWrites(1)
            await relay.append("kept")
            relay.finish()
        }
        #expect(recorder.writes == ["lost", "kept"])
    }

    @Test func aStoppedTaskDiscardsWhatIsBuffered() async throws {
        let recorder = Recorder()
        let relay = relay(recorder)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await relay.run() }
            await relay.append("sent")
            await recorder.waitForWrites(1)
            await relay.append("held back")
            relay.finish(discarding: true)
        }
        #expect(recorder.writes == ["sent"])
    }
}
