import OrchestraAPI
import OrchestraProviderTestSupport
import OrchestraProviders
import OrchestraScheduler
import Testing

@testable import OrchestraWorker

/// Streamed answers become `task.token` events in the workflow's stream, on a real Redis.
@Suite("Worker: token events", .timeLimit(.minutes(5)))
struct WorkerTokenTests {
    /// The workflow's events, oldest first.
    private func events(_ fixture: WorkerFixture, _ id: String) async throws -> [StoredEvent] {
        let log = EventLog(redis: fixture.redis, settings: fixture.store.settings)
        return try await log.read(fixture.keys.workflow(id).events, after: nil, count: 10_000)
    }

    @Test func deltasComeBeforeTheCompletionAndAddUpToTheStoredOutput() async throws {
        let fixture = try WorkerFixture()
        let answer = String(repeating: "A streamed answer, ünïcödé included. ", count: 20)
        let stub = StubResponse(body: openAIAnswer(answer), pieceDelay: .milliseconds(2))
        try await LoopbackProviderServer.with([stub]) { _, base in
            let worker = try fixture.worker(providers: loopbackProviders(base))
            try await fixture.with([worker]) {
                let id = try await fixture.submit(.parallel, [agent("a", "t")])
                let workflow = try await fixture.waitForEnd(id)
                #expect(workflow.tasks[0].output == answer)
                let events = try await events(fixture, id)
                let tokens = events.filter { $0.type == "task.token" }
                #expect(tokens.map { $0.fields["delta"] ?? "" }.joined() == answer)
                #expect(tokens.allSatisfy { $0.fields["attempt"] == "1" && $0.fields["agent_id"] == "a" })
                #expect(tokens.count > 1, "streamed in several events")
                #expect(tokens.count < StreamedAnswer.pieces(of: answer).count, "coalesced, not one event per delta")
                let completed = try #require(events.firstIndex { $0.type == "task.completed" })
                let started = try #require(events.firstIndex { $0.type == "task.started" })
                let positions = events.indices.filter { events[$0].type == "task.token" }
                #expect(positions.allSatisfy { $0 > started && $0 < completed })
            }
        }
    }

    @Test func aRetryAfterAStreamCutStreamsAgainAfterTheRetryingEvent() async throws {
        let fixture = try WorkerFixture()
        let answer = "An answer cut in the middle, then given whole."
        try await LoopbackProviderServer.with([
            StubResponse(body: openAIAnswer(answer), behaviour: .cutStream(afterPieces: 5)), StubResponse(body: openAIAnswer(answer)),
        ]) { server, base in
            let worker = try fixture.worker(providers: loopbackProviders(base))
            try await fixture.with([worker]) {
                let id = try await fixture.submit(.parallel, [agent("a", "t", maxAttempts: 3)])
                let workflow = try await fixture.waitForEnd(id)
                #expect(workflow.status == "completed")
                #expect(workflow.tasks[0].output == answer)
                #expect(workflow.tasks[0].attempts == 2)
                #expect(server.requests.count == 2)
                let events = try await events(fixture, id)
                let retrying = try #require(events.firstIndex { $0.type == "task.retrying" })
                let first = events[..<retrying].filter { $0.type == "task.token" }
                let second = events[retrying...].filter { $0.type == "task.token" }
                #expect(first.allSatisfy { $0.fields["attempt"] == "1" })
                #expect(answer.hasPrefix(first.map { $0.fields["delta"] ?? "" }.joined()))
                #expect(second.allSatisfy { $0.fields["attempt"] == "2" })
                #expect(second.map { $0.fields["delta"] ?? "" }.joined() == answer)
            }
        }
    }

    @Test func aStoredAnswerReplaysNoTokens() async throws {
        let fixture = try WorkerFixture()
        try await LoopbackProviderServer.with([StubResponse(body: openAIAnswer("never asked"))]) { server, base in
            let id = try await fixture.submit(.parallel, [agent("a", "t")])
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
                #expect(workflow.tasks[0].output == "stored earlier")
                #expect(server.requests.isEmpty)
                #expect(try await events(fixture, id).filter { $0.type == "task.token" }.isEmpty)
            }
        }
    }
}
