import OrchestraConcurrency
import Testing

@testable import OrchestraScheduler
@testable import OrchestraWorker

@Suite("Worker concurrency primitives", .timeLimit(.minutes(5)))
struct ConcurrencyPrimitiveTests {
    @Test func slotsGrantUpToTheLimitAndQueueWaitersInOrder() async throws {
        let slots = TaskSlots(capacity: 5)
        #expect(await slots.acquire(upTo: 3) == 3)
        #expect(await slots.acquire(upTo: 3) == 2)
        #expect(slots.available == 0)
        let waiter = Task { await slots.acquire(upTo: 4) }
        await eventually { slots.waiterCount == 1 }
        #expect(slots.available == 0)  // the waiter still waits: nothing is free
        slots.release(2)
        #expect(await waiter.value == 2)
        #expect(slots.available == 0)
        slots.release(10)
        #expect(slots.available == 5)  // never more than the capacity
    }

    @Test func aCancelledSlotWaiterReturnsZeroAndTakesNothing() async {
        let slots = TaskSlots(capacity: 1)
        #expect(await slots.acquire(upTo: 1) == 1)
        let waiter = Task { await slots.acquire(upTo: 1) }
        await eventually { slots.waiterCount == 1 }
        waiter.cancel()
        #expect(await waiter.value == 0)
        slots.release(1)
        #expect(slots.available == 1)
    }

    @Test func anEventWakesEveryWaiterAndLaterWaitsReturnAtOnce() async {
        let event = AsyncEvent()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { await event.wait() } }
            await eventually { event.waiterCount == 3 }
            #expect(!event.isSignalled)
            event.signal()
        }
        await event.wait()
        #expect(event.isSignalled)
        let cancelled = AsyncEvent()
        let waiter = Task { await cancelled.wait() }
        waiter.cancel()
        await waiter.value  // returns although never signalled
    }

    @Test func runningTasksDrainAndStopByWorkflow() async throws {
        let registry = RunningTasks()
        #expect(await registry.waitUntilEmpty(timeout: .milliseconds(10)))
        let first = RunningTask(.sample(workflow: "a", index: 0), leaseDuration: .seconds(10))
        let second = RunningTask(.sample(workflow: "b", index: 0), leaseDuration: .seconds(10))
        registry.insert(first)
        registry.insert(second)
        #expect(registry.stop(workflowID: "a", reason: .workflowCancelled) == 1)
        #expect(first.isStopped && !second.isStopped)
        await first.waitUntilStopped()
        #expect(await registry.waitUntilEmpty(timeout: .milliseconds(30)) == false)
        registry.remove(first)
        async let emptied = registry.waitUntilEmpty(timeout: .seconds(5))
        registry.remove(second)
        #expect(await emptied)
    }
}

/// Returns once `condition` holds (yielding in between), or records an issue after 5 s.
func eventually(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async {
    let deadline = ContinuousClock.now + .seconds(5)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("the condition did not hold within 5 s", sourceLocation: sourceLocation)
            return
        }
        await Task.yield()
    }
}

extension ClaimedTask {
    static func sample(workflow: String, index: Int) -> ClaimedTask {
        ClaimedTask(
            workflowID: workflow, index: index, epoch: 1, attempt: 1, maxAttempts: 1, agentID: "a\(index)", role: "qa",
            inputJSON: #"{"task":"t"}"#, workflowType: "parallel")
    }
}
