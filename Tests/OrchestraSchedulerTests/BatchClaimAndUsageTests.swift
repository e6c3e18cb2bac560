import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Testing

@Suite("Batch claims and usage counters against a real redis-server", .timeLimit(.minutes(5)))
struct BatchClaimAndUsageTests {
    @Test func claimReadyTakesUpToTheLimitInQueueOrderWithoutBlocking() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        let shard = fixture.keys.shard(0)
        #expect(try await queue.claimReady(from: shard, limit: 8).isEmpty)  // empty queue: returns at once
        try await fixture.submit(id: "p", dependencies: [[], [], [], [], []])
        try await fixture.submit(id: "q", dependencies: [[], [0]])
        let first = try await queue.claimReady(from: shard, limit: 4)
        #expect(first.map(\.ref) == ["p|0", "p|1", "p|2", "p|3"])
        #expect(first.allSatisfy { $0.attempt == 1 && $0.epoch == 1 && $0.maxAttempts == 3 && $0.workflowType == "graph" })
        #expect(first[2].agentID == "a2" && first[2].role == "backend" && first[2].inputJSON == #"{"task":"step 2"}"#)
        let rest = try await queue.claimReady(from: shard, limit: 10)
        #expect(rest.map(\.ref) == ["p|4", "q|0"])
        #expect(try await fixture.readyRefs().isEmpty)
        #expect(try await fixture.redis.send("LLEN", RedisArgument(shard.claimed)).decodeInt() == 0)
        #expect(try await fixture.redis.send("ZCARD", RedisArgument(shard.leases)).decodeInt() == 6)
        #expect(try await fixture.store.workflow("p")?.status == "running")
        #expect(try await fixture.store.workflow("p")?.tasks.allSatisfy { $0.status == "running" && $0.workerID == "w" } == true)
        // Dependencies come with the claim, as with the blocking claim.
        #expect(try await queue.complete(rest[1], SchedulingTests.answer("zero")) == .ok)
        let dependent = try #require(try await queue.claimReady(from: shard, limit: 5).first)
        #expect(dependent.ref == "q|1")
        #expect(dependent.dependencies == [DependencyOutput(agentID: "a0", output: "zero")])
    }

    @Test func batchClaimSkipsCancelledWorkflowsAndTasksThatAreNotQueued() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        let shard = fixture.keys.shard(0)
        try await fixture.submit(id: "gone", dependencies: [[], []])
        try await fixture.submit(id: "kept", dependencies: [[]])
        #expect(try await fixture.store.cancel("gone"))
        // A duplicate reference (redelivered) of a task that is already running is skipped too.
        let kept = try #require(try await queue.claimReady(from: shard, limit: 10).first)
        #expect(kept.ref == "kept|0")
        try await fixture.redis.send("RPUSH", RedisArgument(shard.ready), "kept|0")
        #expect(try await queue.claimReady(from: shard, limit: 10).isEmpty)
        #expect(try await fixture.redis.send("LLEN", RedisArgument(shard.claimed)).decodeInt() == 0)
        #expect(try await fixture.store.workflow("kept")?.tasks[0].attempts == 1)
    }

    @Test func completionCountsUsagePerProviderAndModelAcrossShards() async throws {
        let fixture = try SchedulerFixture(shards: 4)
        let queue = fixture.queue(worker: "w")
        let ids = (0..<8).map { "u\($0)" }
        for id in ids { try await fixture.submit(id: id, dependencies: [[]]) }
        var claimed: [ClaimedTask] = []
        for shard in fixture.keys.shards { claimed += try await queue.claimReady(from: shard, limit: 10) }
        #expect(claimed.count == 8)
        for (position, task) in claimed.enumerated() {
            let model = position.isMultiple(of: 2) ? "gpt-4o-mini" : "llama3.1:8b"
            let provider = position.isMultiple(of: 2) ? "openai" : "openai-compatible"
            let answer = TaskAnswer(output: "o", provider: provider, model: model, promptTokens: 10, completionTokens: position)
            #expect(try await queue.complete(task, .answer(answer)) == .ok)
        }
        // A stale redelivery counts nothing.
        let late = TaskAnswer(output: "o", provider: "openai", model: "gpt-4o-mini", promptTokens: 99)
        #expect(try await queue.complete(claimed[0], .answer(late)) == .stale)
        let usage = try await fixture.store.usageCounters()
        #expect(
            usage == [
                ProviderUsage(provider: "openai", model: "gpt-4o-mini", calls: 4, promptTokens: 40, completionTokens: 0 + 2 + 4 + 6),
                ProviderUsage(
                    provider: "openai-compatible", model: "llama3.1:8b", calls: 4, promptTokens: 40, completionTokens: 1 + 3 + 5 + 7),
            ])
        let spread = try await fixture.redis.pipeline(fixture.keys.shards.map { ["EXISTS", RedisArgument($0.usage)] })
        #expect(try spread.map { try $0.decodeInt() }.reduce(0, +) > 1)  // counted in each workflow's own shard
    }

    @Test func aStaleCompletionCountsNoUsage() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        try await fixture.submit(id: "n", dependencies: [[]])
        var task = try #require(try await fixture.claim(queue))
        task.epoch += 1
        #expect(try await queue.complete(task, .answer(TaskAnswer(output: "o", provider: "openai", model: "m", promptTokens: 3))) == .stale)
        #expect(try await fixture.store.usageCounters().isEmpty)
    }
}

@Suite("Refunded attempts are bounded when asked", .timeLimit(.minutes(5)))
struct RefundLimitTests {
    @Test func refundsBeyondTheLimitSpendTheAttempt() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        try await fixture.submit(id: "rl", dependencies: [[]], maxAttempts: 1)
        for round in 1...2 {
            let task = try #require(try await fixture.claim(queue))
            #expect(task.attempt == 1)
            #expect(
                try await queue.fail(task, error: "429 #\(round)", retryAfter: .milliseconds(1), refundAttempt: true, maximumRefunds: 2)
                    == .retry)
            try await fixture.reapUntil(queue) { $0.promoted == 1 }
        }
        let task = try #require(try await fixture.claim(queue))
        #expect(
            try await queue.fail(task, error: "429 #3", retryAfter: .milliseconds(1), refundAttempt: true, maximumRefunds: 2) == .failed)
        let stored = try #require(try await fixture.store.workflow("rl"))
        #expect(stored.status == "failed")
        #expect(stored.tasks[0].attempts == 1)
        #expect(stored.tasks[0].error == "429 #3")
    }

    @Test func withoutALimitRefundsAreNotCounted() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        try await fixture.submit(id: "free", dependencies: [[]], maxAttempts: 1)
        let task = try #require(try await fixture.claim(queue))
        #expect(try await queue.fail(task, error: "handed back", retryAfter: .milliseconds(1), refundAttempt: true) == .retry)
        let refunds = try await fixture.redis.send(
            "HGET", RedisArgument(fixture.keys.workflow("free").tasks), RedisArgument(TaskField.refunds.key(0)))
        #expect(refunds.isNull)
    }
}
