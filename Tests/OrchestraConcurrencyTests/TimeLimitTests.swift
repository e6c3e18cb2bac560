import OrchestraConcurrency
import Synchronization
import Testing

@Suite("withTimeLimit: bounded operations without lingering timers", .timeLimit(.minutes(5)))
struct TimeLimitTests {
    @Test func anOperationThatFinishesInTimeReturnsItsResult() async throws {
        let value = try await withTimeLimit(.seconds(120)) { 42 }
        #expect(value == 42)
    }

    @Test func anOperationPastTheLimitIsCancelledAndYieldsNil() async throws {
        let sawCancellation = Flag()
        let started = ContinuousClock.now
        let value: Int? = try await withTimeLimit(.milliseconds(50)) { try await sleep(noting: sawCancellation) }
        #expect(value == nil)
        #expect(sawCancellation.isSet)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func errorsOfTheOperationAreThrown() async throws {
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            _ = try await withTimeLimit(.seconds(5)) { () async throws -> Int in throw Boom() }
        }
    }

    @Test func cancellingTheCallerCancelsTheOperationAndThrows() async throws {
        let sawCancellation = Flag()
        let started = Flag()
        let caller = Task {
            try await withTimeLimit(.seconds(120)) { try await sleep(noting: sawCancellation, started: started) }
        }
        while !started.isSet { await Task.yield() }
        caller.cancel()
        await #expect(throws: CancellationError.self) { _ = try await caller.value }
        #expect(sawCancellation.isSet)
    }
}

/// A flag set from another task.
private final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// Sets `started`, sleeps 30 s and returns 1; sets `cancelled` when the sleep is cancelled.
private func sleep(noting cancelled: Flag, started: Flag? = nil) async throws -> Int {
    started?.set()
    do {
        try await Task.sleep(for: .seconds(30))
    } catch {
        cancelled.set()
        throw error
    }
    return 1
}
