import Testing

@testable import OrchestraWorker

@Suite("Task run state: exactly one writer", .timeLimit(.minutes(5)))
struct TaskRunStateTests {
    @Test func theExecutorWritesWhenNothingStoppedTheTask() {
        var state = TaskRunState()
        let r1 = state.beginWrite()
        #expect(r1)
        let r2 = state.beginWrite()
        #expect(!r2)  // one write at a time
        let r3 = state.endWrite()
        #expect(!r3)
        let r4 = state.beginWrite()
        #expect(r4)
        let r5 = state.endWrite()
        #expect(!r5)
        #expect(!state.isStopped)
    }

    @Test func aStopWinsWhenTheExecutorIsNotWriting() {
        var state = TaskRunState()
        let r6 = state.stop(.workflowCancelled)
        #expect(r6 == .stopped)
        #expect(state.isStopped)
        #expect(state.stopReason == .workflowCancelled)
        let r7 = state.beginWrite()
        #expect(!r7)
        let r8 = state.stop(.leaseLost)
        #expect(r8 == .alreadyStopped)
        #expect(state.stopReason == .workflowCancelled)
    }

    @Test func aCancellationDuringAWriteTakesEffectWhenTheWriteEnds() {
        var state = TaskRunState()
        let r9 = state.beginWrite()
        #expect(r9)
        let r10 = state.stop(.leaseLost)
        #expect(r10 == .deferred)
        #expect(!state.isStopped)
        let r11 = state.endWrite()
        #expect(r11)  // the deferred stop takes effect
        #expect(state.isStopped)
        let r12 = state.beginWrite()
        #expect(!r12)  // so the completion after a stored answer is not written
    }

    @Test func shutdownNeverInterruptsAWrite() {
        var state = TaskRunState()
        let r13 = state.beginWrite()
        #expect(r13)
        let r14 = state.stop(.shutdown)
        #expect(r14 == .busy)
        let r15 = state.endWrite()
        #expect(!r15)
        #expect(!state.isStopped)
        let r16 = state.beginWrite()
        #expect(r16)  // the executor goes on to complete
        let r17 = state.endWrite()
        #expect(!r17)
        let r18 = state.stop(.shutdown)
        #expect(r18 == .stopped)
    }

    @Test func aStopAfterTheAcknowledgementIsANoOp() {
        var state = TaskRunState()
        let began = state.beginWrite()
        #expect(began)
        let signalled = state.endWrite(finishing: true)
        #expect(!signalled)
        #expect(state.isFinished)
        // A renewal that raced the acknowledgement reports the lease lost: nothing to stop.
        #expect(state.stop(.leaseLost) == .finished)
        #expect(!state.isStopped)
        #expect(state.stop(.shutdown) == .finished)
        let again = state.beginWrite()
        #expect(!again)
    }

    @Test func aStopDeferredDuringTheAcknowledgementStillWakesWaiters() {
        var state = TaskRunState()
        _ = state.beginWrite()
        #expect(state.stop(.workflowCancelled) == .deferred)
        let signalled = state.endWrite(finishing: true)
        #expect(signalled)
        #expect(state.isStopped && state.isFinished)
    }
}
