import OrchestraAPI
import OrchestraProviderTestSupport
import OrchestraProviders
import OrchestraScheduler
import OrchestraWorker
import Testing

@Suite("Worker: provider failures, retries and timeouts", .timeLimit(.minutes(5)))
struct WorkerFailureTests {
    @Test func rateLimitWaitsForRetryAfterAndDoesNotSpendAnAttempt() async throws {
        let fixture = try WorkerFixture()
        try await LoopbackProviderServer.with([
            StubResponse(status: 429, headers: [("retry-after", "1")], body: OpenAIFixtures.rateLimited),
            StubResponse(body: openAIAnswer("after the limit")),
        ]) { server, base in
            let worker = try fixture.worker(providers: loopbackProviders(base))
            try await fixture.with([worker]) {
                // One attempt allowed: a spent attempt would fail the task.
                let id = try await fixture.submit(.parallel, [agent("a", "t", maxAttempts: 1)])
                let waiting = try await fixture.waitUntil(id) { $0?.tasks[0].state == "delayed" }
                #expect(waiting?.tasks[0].status == "pending")
                #expect(waiting?.tasks[0].attempts == 0)
                #expect(waiting?.tasks[0].error?.contains("HTTP 429") == true)
                let workflow = try await fixture.waitForEnd(id)
                #expect(workflow.status == "completed")
                let task = workflow.tasks[0]
                #expect(task.output == "after the limit")
                #expect(task.attempts == 1)
                #expect(try #require(task.completedAt) - #require(task.startedAt) >= 1000)  // Retry-After honoured
                #expect(server.requests.count == 2)
            }
        }
    }

    @Test func serverErrorsAreRetriedWithBackoffUntilSuccess() async throws {
        let fixture = try WorkerFixture()
        try await LoopbackProviderServer.with([
            StubResponse(status: 500, body: OpenAIFixtures.serverError), StubResponse(status: 500, body: OpenAIFixtures.serverError),
            StubResponse(body: openAIAnswer("third time lucky")),
        ]) { server, base in
            let worker = try fixture.worker(providers: loopbackProviders(base))
            try await fixture.with([worker]) {
                let id = try await fixture.submit(.parallel, [agent("a", "t", maxAttempts: 3)])
                let workflow = try await fixture.waitForEnd(id)
                #expect(workflow.status == "completed")
                #expect(workflow.tasks[0].output == "third time lucky")
                #expect(workflow.tasks[0].attempts == 3)
                #expect(workflow.tasks[0].error == nil)
                #expect(server.requests.count == 3)
            }
        }
    }

    @Test func retriesStopAfterMaxAttempts() async throws {
        let fixture = try WorkerFixture()
        try await LoopbackProviderServer.with([StubResponse(status: 502, body: OpenAIFixtures.notJSON)]) { server, base in
            let worker = try fixture.worker(providers: loopbackProviders(base))
            try await fixture.with([worker]) {
                let id = try await fixture.submit(.parallel, [agent("a", "t", maxAttempts: 2)])
                let workflow = try await fixture.waitForEnd(id)
                #expect(workflow.status == "failed")
                #expect(workflow.tasks[0].attempts == 2)
                #expect(workflow.tasks[0].error?.contains("HTTP 502") == true)
                // A pause in which a third call would arrive (an absence has no signal).
                try await Task.sleep(for: .milliseconds(300))
                #expect(server.requests.count == 2)
            }
        }
    }

    @Test func aBadRequestFailsAtOnceWithTheProvidersMessageAndFailsDependents() async throws {
        let fixture = try WorkerFixture()
        try await LoopbackProviderServer.with([StubResponse(status: 400, body: OpenAIFixtures.badRequest)]) { server, base in
            let worker = try fixture.worker(providers: loopbackProviders(base))
            try await fixture.with([worker]) {
                let id = try await fixture.submit(
                    .graph, [agent("a", "t", maxAttempts: 3), agent("b", "u", dependsOn: ["a"]), agent("c", "v", dependsOn: ["b"])])
                let workflow = try await fixture.waitForEnd(id)
                #expect(workflow.status == "failed")
                let error = try #require(workflow.tasks[0].error)
                #expect(error.contains("Invalid value for 'temperature': must be between 0 and 2."))
                #expect(error.contains("HTTP 400"))
                #expect(!error.contains("sk-test-key"))
                #expect(workflow.tasks[0].attempts == 1)
                #expect(workflow.tasks[1].error == "dependency 'a' failed")
                #expect(workflow.tasks[2].error == "dependency 'b' failed")
                #expect(server.requests.count == 1)
            }
        }
    }

    @Test func aHungProviderTimesOutAndTheTaskIsRetried() async throws {
        let fixture = try WorkerFixture()
        try await LoopbackProviderServer.with([.hang, StubResponse(body: openAIAnswer("second try"))]) { server, base in
            let worker = try fixture.worker(providers: loopbackProviders(base))
            try await fixture.with([worker]) {
                let clock = ContinuousClock()
                let start = clock.now
                let id = try await fixture.submit(.parallel, [agent("a", "t", timeout: 0.5, maxAttempts: 3)])
                let workflow = try await fixture.waitForEnd(id)
                #expect(workflow.status == "completed")
                #expect(workflow.tasks[0].output == "second try")
                #expect(workflow.tasks[0].attempts == 2)
                #expect(clock.now - start >= .milliseconds(500))
                #expect(clock.now - start < .seconds(10))
                #expect(server.requests.count == 2)
            }
        }
    }

    @Test func aProviderThatAlwaysAnswers429StillEndsTheTask() async throws {
        let fixture = try WorkerFixture()
        try await LoopbackProviderServer.with([
            StubResponse(status: 429, headers: [("retry-after-ms", "5")], body: OpenAIFixtures.rateLimited)
        ]) {
            server, base in
            let policy = RetryPolicy(baseDelay: .milliseconds(10), maximumDelay: .milliseconds(20), maximumRateLimitRefunds: 3)
            let worker = try fixture.worker(providers: loopbackProviders(base), retryPolicy: policy)
            try await fixture.with([worker]) {
                let id = try await fixture.submit(.parallel, [agent("a", "t", maxAttempts: 2)])
                let workflow = try await fixture.waitForEnd(id)
                #expect(workflow.status == "failed")
                #expect(workflow.tasks[0].attempts == 2)
                #expect(workflow.tasks[0].error?.contains("HTTP 429") == true)
                #expect(server.requests.count == 3 + 2)  // three free rate limits, then two spent attempts
            }
        }
    }
}
