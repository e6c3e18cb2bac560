import OrchestraAPI
import OrchestraProviderTestSupport
import OrchestraProviders
import OrchestraScheduler
import Testing

@testable import OrchestraWorker

@Suite("Worker: redelivery, fencing, cancellation and shutdown", .timeLimit(.minutes(5)))
struct WorkerRecoveryTests {
    @Test func aStoredAnswerIsReusedWithoutCallingTheProvider() async throws {
        let fixture = try WorkerFixture()
        try await LoopbackProviderServer.with([StubResponse(body: openAIAnswer("fresh call"))]) { server, base in
            let id = try await fixture.submit(.sequential, [agent("a", "t"), agent("b", "u")])
            // A worker claims, stores the provider's answer, and dies before acknowledging.
            let dead = fixture.queue(worker: "dead", leaseSeconds: 1)
            let shard = fixture.keys.shard(0)
            let ref = try #require(try await dead.waitForReady(in: shard, block: .milliseconds(100)))
            let claimed = try #require(try await dead.claim(refs: [ref], in: shard).first)
            let stored = TaskAnswer(
                output: "stored earlier", provider: "openai", model: "gpt-4o-mini", promptTokens: 9, completionTokens: 5)
            #expect(try await dead.storeAnswer(claimed, stored) == .ok)

            let worker = try fixture.worker(providers: loopbackProviders(base))
            try await fixture.with([worker]) {
                let workflow = try await fixture.waitForEnd(id)
                #expect(workflow.status == "completed")
                #expect(workflow.tasks[0].output == "stored earlier")
                #expect(workflow.tasks[0].answer == stored)
                #expect(workflow.tasks[0].attempts == 2)
                #expect(workflow.tasks[0].workerID == worker.workerID)
                #expect(workflow.tasks[1].output == "fresh call")
                #expect(workflow.promptTokens == 9 + 11)
                // Only the second task called the provider; the first reused its stored answer.
                #expect(server.requests.count == 1)
                #expect(server.requests.first?.userPrompt?.contains("[Dependency a]\nstored earlier") == true)
            }
        }
    }

    @Test func aWorkerThatLostItsLeaseIsFencedAndAnotherCompletesTheTask() async throws {
        let fixture = try WorkerFixture(leaseSeconds: 1)
        try await LoopbackProviderServer.with([
            StubResponse(body: openAIAnswer("stale answer"), delay: .seconds(3)), StubResponse(body: openAIAnswer("fresh answer")),
        ]) { server, base in
            var silent = WorkerFixture.fastTuning
            silent.renewsLeases = false
            let stalled = try fixture.worker(providers: loopbackProviders(base), id: "stalled", concurrency: 1, tuning: silent)
            let healthy = try fixture.worker(providers: loopbackProviders(base), id: "healthy")
            let clock = ContinuousClock()
            let start = clock.now
            try await fixture.with([stalled]) {
                let id = try await fixture.submit(.parallel, [agent("a", "t", maxAttempts: 3)])
                try await fixture.waitUntil(id) { $0?.tasks[0].workerID == "stalled" && $0?.tasks[0].status == "running" }
                try await fixture.with([healthy]) {
                    let workflow = try await fixture.waitForEnd(id)
                    #expect(workflow.status == "completed")
                    #expect(workflow.tasks[0].output == "fresh answer")
                    #expect(workflow.tasks[0].workerID == "healthy")
                    #expect(workflow.tasks[0].attempts == 2)
                    // The stalled worker gets its late answer (3 s after the call) and tries to write it.
                    try await fixture.waitUntil(id, timeout: .seconds(10)) { _ in stalled.runningTaskCount == 0 }
                    #expect(clock.now - start >= .seconds(3), "the stalled call ran to its end")
                    let after = try #require(try await fixture.store.workflow(id))
                    #expect(after.tasks[0].output == "fresh answer")
                    #expect(after.tasks[0].workerID == "healthy")
                    #expect(try await fixture.taskField(id, 0, .output) == "fresh answer", "the stale answer was not stored")
                    #expect(server.requests.count == 2)
                    #expect(try await fixture.store.usageCounters().first?.calls == 1)
                }
            }
        }
    }

    @Test(arguments: ["echo with latency", "hung provider"])
    func cancellingAWorkflowStopsItsRunningTaskPromptly(provider: String) async throws {
        let fixture = try WorkerFixture()
        try await LoopbackProviderServer.with([.hang]) { server, base in
            let providers =
                provider == "hung provider"
                ? try loopbackProviders(base) : try ProviderRegistry(providers: [EchoProvider(latency: .seconds(60))])
            var tuning = WorkerFixture.fastTuning
            tuning.leaseRenewalInterval = .seconds(60)  // so only the cancellation notice can stop it
            let worker = try fixture.worker(providers: providers, tuning: tuning)
            try await fixture.with([worker]) {
                let id = try await fixture.submit(.sequential, [agent("a", "slow"), agent("b", "never")])
                try await fixture.waitUntil(id) { $0?.tasks[0].status == "running" && worker.runningTaskCount == 1 }
                let clock = ContinuousClock()
                let cancelledAt = clock.now
                #expect(try await fixture.store.cancel(id))
                while worker.runningTaskCount > 0, clock.now - cancelledAt < .seconds(5) {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(worker.runningTaskCount == 0)
                #expect(clock.now - cancelledAt < .seconds(1))
                // A pause in which a wrongly restarted task would show (an absence has no signal).
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await fixture.store.workflow(id) == nil)
                #expect(worker.runningTaskCount == 0)
                // Left: the layout record, the reaper lock, the worker registry, the shard's event
                // stream, and the cancelled workflow's own stream (kept a while so its readers see
                // `workflow.cancelled`). Nothing of the workflow itself.
                let workflowKeys = fixture.keys.workflow(id)
                let shard = workflowKeys.shard
                let left = Set(try await fixture.keyNames()).filter { !$0.contains(":{workers}:") }
                #expect(left.isSubset(of: [fixture.keys.meta, shard.reaperLock, shard.events, workflowKeys.events]), "\(left)")
                if provider == "hung provider" { #expect(server.requests.count == 1) }
            }
        }
    }

    @Test func gracefulShutdownHandsRunningTasksBackWithoutSpendingAnAttempt() async throws {
        let fixture = try WorkerFixture()
        let slow = try fixture.worker(providers: ProviderRegistry(providers: [EchoProvider(latency: .seconds(60))]), grace: 0.3)
        let id = try await fixture.submit(.parallel, [agent("a", "t", maxAttempts: 1), agent("b", "u", maxAttempts: 1)])
        let clock = ContinuousClock()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await slow.run() }
            try await fixture.waitUntil(id) { $0?.tasks.allSatisfy { $0.status == "running" } == true }
            let begun = clock.now
            slow.triggerGracefulShutdown()
            try await group.waitForAll()  // run() returns by itself
            #expect(clock.now - begun >= .milliseconds(300))
            #expect(clock.now - begun < .seconds(3))
        }
        let handedBack = try #require(try await fixture.store.workflow(id))
        #expect(handedBack.status == "running")
        #expect(handedBack.tasks.map(\.status) == ["pending", "pending"])
        #expect(handedBack.tasks.map(\.attempts) == [0, 0])
        #expect(handedBack.tasks[0].error?.contains("handed back") == true)

        let next = try fixture.worker()
        try await fixture.with([next]) {
            let workflow = try await fixture.waitForEnd(id)
            #expect(workflow.status == "completed")
            #expect(workflow.tasks.map(\.attempts) == [1, 1])  // max_attempts 1 was enough
            #expect(workflow.tasks.allSatisfy { $0.workerID == next.workerID })
        }
    }

    @Test func gracefulShutdownLetsTasksFinishWithinTheGracePeriodAndStopsClaiming() async throws {
        let fixture = try WorkerFixture()
        let worker = try fixture.worker(providers: ProviderRegistry(providers: [EchoProvider(latency: .milliseconds(400))]), grace: 10)
        let id = try await fixture.submit(.sequential, [agent("a", "t"), agent("b", "u")])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            try await fixture.waitUntil(id) { $0?.tasks[0].status == "running" }
            worker.triggerGracefulShutdown()
            try await group.waitForAll()
        }
        let workflow = try #require(try await fixture.store.workflow(id))
        #expect(workflow.tasks[0].status == "completed")
        #expect(workflow.tasks[0].attempts == 1)
        #expect(workflow.tasks[1].status == "pending")  // released, but no longer claimed here
        #expect(workflow.tasks[1].attempts == 0)
    }
}
