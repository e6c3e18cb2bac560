import OrchestraAPI
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Testing

@Suite("The scheduling library against a real redis-server", .timeLimit(.minutes(5)))
struct SchedulingTests {
    static func answer(_ text: String, prompt: Int? = nil, completion: Int? = nil) -> TaskQueue.Completion {
        .answer(TaskAnswer(output: text, provider: "echo", model: "echo", promptTokens: prompt, completionTokens: completion))
    }

    @Test func submitIsAtomicAndRejectsAnExistingID() async throws {
        let fixture = try SchedulerFixture()
        guard case .created(let createdAt) = try await fixture.submit(id: "wf-1", dependencies: [[], [], [0, 1], [2]]) else {
            Issue.record("not created")
            return
        }
        #expect(try await fixture.readyRefs() == ["wf-1|0", "wf-1|1"])
        let keysBefore = try await fixture.keyCount()
        #expect(try await fixture.submit(id: "wf-1", dependencies: [[]]) == .alreadyExists)
        #expect(try await fixture.keyCount() == keysBefore)
        #expect(try await fixture.readyRefs() == ["wf-1|0", "wf-1|1"])
        let stored = try #require(try await fixture.store.workflow("wf-1"))
        #expect(stored.status == "pending")
        #expect(stored.createdAt == createdAt)
        #expect(stored.tasks.map(\.status) == ["pending", "pending", "pending", "pending"])
        #expect(stored.tasks.map(\.state) == ["queued", "queued", "pending", "pending"])
        #expect(stored.tasks.map(\.agentID) == ["a0", "a1", "a2", "a3"])
        #expect(stored.tasks[2].dependsOnJSON == #"["a0","a1"]"#)
        #expect(stored.metadataJSON == #"{"k":1}"#)
        #expect(try await fixture.store.activeCount() == 1)
    }

    @Test func aTasksOptionsComeBackAsSubmittedToTheClaimAndTheSubmittedView() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        let options = TaskOptions(
            llmModel: "anthropic/claude-3", temperature: 0.25, maxTokens: 512, systemPrompt: "Be terse.\nTwo lines.", timeoutSeconds: 2.5,
            delegate: true)
        try await fixture.submit(id: "opts", dependencies: [[]], options: options)
        try await fixture.submit(id: "plain", dependencies: [[]])
        #expect(try await fixture.store.submitted("opts")?.tasks.first?.options == options)
        #expect(try await fixture.store.submitted("plain")?.tasks.first?.options == TaskOptions())
        let claimed = try await [fixture.claim(queue), fixture.claim(queue)].compactMap { $0 }
        #expect(claimed.first { $0.workflowID == "opts" }?.options == options)
        #expect(claimed.first { $0.workflowID == "plain" }?.options == TaskOptions())
        // Only the options that are set are stored, one hash field each.
        let optionFields: [TaskField] = [.llmModel, .temperature, .maxTokens, .systemPrompt, .timeoutSeconds, .delegate]
        let stored = try await fixture.redis.send("HKEYS", RedisArgument(fixture.keys.workflow("plain").tasks)).decodeArray()
            .map { try $0.decodeString() }
        #expect(stored.contains(TaskField.agentID.key(0)))
        #expect(Set(stored).isDisjoint(with: optionFields.map { $0.key(0) }))
        let all = try await fixture.redis.send("HKEYS", RedisArgument(fixture.keys.workflow("opts").tasks)).decodeArray()
            .map { try $0.decodeString() }
        #expect(Set(optionFields.map { $0.key(0) }).isSubset(of: all))
    }

    @Test func createdAtAndLeasesComeFromTheServersClock() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w", lease: .seconds(10))
        let before = try await serverMilliseconds(fixture.redis)
        guard case .created(let createdAt) = try await fixture.submit(id: "t", dependencies: [[]]) else { return }
        let task = try #require(try await fixture.claim(queue))
        let after = try await serverMilliseconds(fixture.redis)
        #expect(before <= createdAt && createdAt <= after)
        let deadline = try await fixture.redis.send("ZSCORE", RedisArgument(fixture.keys.shard(0).leases), RedisArgument(task.ref))
        let lease = Int64(try #require(Double(try deadline.decodeString())))
        #expect(lease >= before + 10_000 && lease <= after + 10_000)
    }

    @Test func graphReleasesEachTaskWhenItsLastDependencyCompletesOnce() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w1")
        try await fixture.submit(id: "g", dependencies: [[], [], [0, 1], [2]])
        let first = try #require(try await fixture.claim(queue))
        let second = try #require(try await fixture.claim(queue))
        #expect(Set([first.index, second.index]) == [0, 1])
        #expect(try await fixture.claim(queue) == nil)
        #expect(try await queue.complete(first, Self.answer("out-\(first.index)")) == .ok)
        // A redelivered completion of the same claim changes nothing.
        #expect(try await queue.complete(first, Self.answer("again")) == .stale)
        #expect(try await fixture.readyRefs().isEmpty)
        #expect(try await queue.complete(second, Self.answer("out-\(second.index)")) == .ok)
        #expect(try await fixture.readyRefs() == ["g|2"])
        let third = try #require(try await fixture.claim(queue))
        #expect(third.index == 2)
        #expect(third.dependencies == [DependencyOutput(agentID: "a0", output: "out-0"), DependencyOutput(agentID: "a1", output: "out-1")])
        #expect(try await fixture.store.workflow("g")?.status == "running")
        #expect(try await queue.complete(third, Self.answer("three", prompt: 5, completion: 7)) == .ok)
        let fourth = try #require(try await fixture.claim(queue))
        #expect(fourth.dependencies.map(\.agentID) == ["a2"])
        #expect(try await queue.complete(fourth, Self.answer("done")) == .ok)
        let stored = try #require(try await fixture.store.workflow("g"))
        #expect(stored.status == "completed")
        #expect(stored.completedAt != nil && stored.startedAt != nil)
        #expect(stored.tasks.allSatisfy { $0.status == "completed" })
        #expect(stored.tasks[3].answer?.output == "done")
        #expect(stored.tasks[3].inputJSON == #"{"task":"step 3"}"#)
        #expect(stored.tasks[3].dependencies == [2])
        #expect(stored.tasks[2].answer?.promptTokens == 5 && stored.tasks[2].answer?.completionTokens == 7)
        #expect(stored.promptTokens == 5 && stored.completionTokens == 7)
        #expect(try await fixture.store.activeCount() == 0)
        #expect(try await fixture.store.list(status: "completed", limit: 10).workflows.map(\.id) == ["g"])
    }

    @Test func anExpiredLeaseIsRequeuedAndTheStaleWorkerIsFenced() async throws {
        let fixture = try SchedulerFixture()
        let dead = fixture.queue(worker: "dead", lease: .seconds(2))
        let alive = fixture.queue(worker: "alive", lease: .seconds(10))
        try await fixture.submit(id: "lease", dependencies: [[]])
        let claimedAt = try await serverMilliseconds(fixture.redis)
        let stale = try #require(try await fixture.claim(dead))
        let early = try await alive.reap(fixture.keys.shard(0), interval: .milliseconds(20))
        if try await serverMilliseconds(fixture.redis) - claimedAt < 1500 { #expect(early.requeued == 0, "the lease is still live") }
        if early.requeued == 0 { try await fixture.reapUntil(alive) { $0.requeued == 1 } }
        let fresh = try #require(try await fixture.claim(alive))
        #expect(fresh.epoch == stale.epoch + 1)
        #expect(fresh.attempt == 2)
        let answer = TaskAnswer(output: "late", provider: "openai", model: "gpt")
        #expect(try await dead.renew([stale]) == [.lost])
        #expect(try await dead.storeAnswer(stale, answer) == .stale)
        #expect(try await dead.complete(stale, .answer(answer)) == .stale)
        #expect(try await dead.fail(stale, error: "late", retryAfter: nil) == .stale)
        #expect(try await alive.renew([fresh]) == [.renewed])
        #expect(try await alive.complete(fresh, Self.answer("ok")) == .ok)
        let stored = try #require(try await fixture.store.workflow("lease"))
        #expect(stored.status == "completed")
        #expect(stored.tasks[0].workerID == "alive")
        #expect(stored.tasks[0].answer?.output == "ok")
    }

    @Test func aStoredAnswerComesBackWithARedeliveryAndCompletesTheTask() async throws {
        let fixture = try SchedulerFixture()
        let first = fixture.queue(worker: "first", lease: .milliseconds(300))
        let second = fixture.queue(worker: "second")
        try await fixture.submit(id: "sa", dependencies: [[]])
        let claimed = try #require(try await fixture.claim(first))
        #expect(claimed.storedAnswer == nil)
        let answer = TaskAnswer(output: "billed once", provider: "openai", model: "gpt-4o-mini", promptTokens: 3, completionTokens: 4)
        #expect(try await first.storeAnswer(claimed, answer) == .ok)
        // The first worker dies before acknowledging; its lease expires.
        try await fixture.reapUntil(second) { $0.requeued == 1 }
        let redelivered = try #require(try await fixture.claim(second))
        #expect(redelivered.storedAnswer == answer)
        #expect(try await second.complete(redelivered, .storedAnswer) == .ok)
        let stored = try #require(try await fixture.store.workflow("sa"))
        #expect(stored.tasks[0].answer == answer)
        #expect(stored.promptTokens == 3)
        #expect(
            try await fixture.store.usageCounters() == [
                ProviderUsage(provider: "openai", model: "gpt-4o-mini", calls: 1, promptTokens: 3, completionTokens: 4)
            ])
    }

    @Test func aFailedTaskFailsItsDependentsNamingIt() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        try await fixture.submit(id: "f", dependencies: [[], [], [0], [2, 1]])
        let a = try #require(try await fixture.claim(queue))
        let b = try #require(try await fixture.claim(queue))
        let failing = a.index == 0 ? a : b
        let other = a.index == 0 ? b : a
        #expect(try await queue.fail(failing, error: "provider said no", retryAfter: nil) == .failed)
        #expect(try await queue.complete(other, Self.answer("fine")) == .ok)
        let stored = try #require(try await fixture.store.workflow("f"))
        #expect(stored.status == "partial")
        #expect(stored.tasks.map(\.status) == ["failed", "completed", "failed", "failed"])
        #expect(stored.tasks[0].error == "provider said no")
        #expect(stored.tasks[2].error == "dependency 'a0' failed")
        #expect(stored.tasks[3].error == "dependency 'a2' failed")
        #expect(try await fixture.readyRefs().isEmpty)
    }

    @Test func retriesWaitInTheDelayedSetAndRateLimitsDoNotSpendAttempts() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        try await fixture.submit(id: "r", dependencies: [[]], maxAttempts: 2)
        var task = try #require(try await fixture.claim(queue))
        let failedAt = try await serverMilliseconds(fixture.redis)
        #expect(try await queue.fail(task, error: "429", retryAfter: .seconds(2), refundAttempt: true) == .retry)
        #expect(try await fixture.store.workflow("r")?.tasks[0].status == "pending")
        #expect(try await fixture.store.workflow("r")?.tasks[0].state == "delayed")
        let early = try await queue.reap(fixture.keys.shard(0), interval: .milliseconds(10))
        if try await serverMilliseconds(fixture.redis) - failedAt < 1500 { #expect(early.promoted == 0, "the retry is not due yet") }
        if early.promoted == 0 { try await fixture.reapUntil(queue) { $0.promoted == 1 } }
        task = try #require(try await fixture.claim(queue))
        #expect(task.attempt == 1)
        #expect(try await queue.fail(task, error: "503", retryAfter: .milliseconds(50)) == .retry)
        try await fixture.reapUntil(queue) { $0.promoted == 1 }
        task = try #require(try await fixture.claim(queue))
        #expect(task.attempt == 2)
        #expect(try await queue.fail(task, error: "503 again", retryAfter: .milliseconds(50)) == .failed)
        let stored = try #require(try await fixture.store.workflow("r"))
        #expect(stored.status == "failed")
        #expect(stored.tasks[0].error == "503 again")
    }

    @Test func cancellingRemovesTheWorkflowAndStopsEverythingOfIt() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        try await fixture.submit(id: "c", dependencies: [[], [], [0, 1]])
        let running = try #require(try await fixture.claim(queue))
        #expect(try await fixture.store.cancel("c"))
        #expect(try await fixture.store.workflow("c") == nil)
        #expect(try await fixture.store.cancel("c") == false)
        #expect(try await queue.renew([running]) == [.cancelled])
        #expect(try await queue.complete(running, Self.answer("x")) == .gone)
        #expect(try await fixture.claim(queue) == nil)  // the queued sibling is dropped
        #expect(try await fixture.readyRefs().isEmpty)
        // What is left is the cancelled workflow's event stream, ending with its cancellation, and
        // the shard's cluster-wide event stream; the stream expires on its own.
        #expect(try await fixture.events("c").last?.type == "workflow.cancelled")
        #expect(try await fixture.redis.send("TTL", RedisArgument(fixture.keys.workflow("c").events)).decodeInt() > 0)
        let left = try await fixture.strings(
            fixture.redis.send("EVAL", "return redis.call('KEYS', ARGV[1])", 0, RedisArgument(fixture.keys.prefix + ":*")))
        #expect(Set(left) == [fixture.keys.workflow("c").events, fixture.keys.shard(0).events])
        #expect(try await fixture.store.list(status: nil, limit: 10).workflows.isEmpty)
    }

    @Test func aClaimLostBetweenPopAndClaimIsRecovered() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        try await fixture.submit(id: "o", dependencies: [[]])
        let shard = fixture.keys.shard(0)
        // A worker pops and dies before its claim.
        try await fixture.redis.send("LMOVE", RedisArgument(shard.ready), RedisArgument(shard.claimed), "LEFT", "RIGHT")
        #expect(try await fixture.claim(queue) == nil)
        #expect(try await queue.reap(shard, interval: .milliseconds(10)).recovered == 0)  // first sighting
        try await fixture.reapUntil(queue) { $0.recovered == 1 }
        let task = try #require(try await fixture.claim(queue))
        #expect(task.workflowID == "o" && task.attempt == 1)
    }

    @Test func anUnclaimedReferenceGoesBackToTheHeadOfTheQueue() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        try await fixture.submit(id: "u1", dependencies: [[]])
        try await fixture.submit(id: "u2", dependencies: [[]])
        let shard = fixture.keys.shard(0)
        let ref = try #require(try await queue.waitForReady(in: shard, block: .milliseconds(50)))
        #expect(ref == "u1|0")
        try await queue.unclaim(ref, in: shard)
        #expect(try await fixture.readyRefs() == ["u1|0", "u2|0"])
        #expect(try await fixture.redis.send("LLEN", RedisArgument(shard.claimed)).decodeInt() == 0)
    }

    @Test func listingIsNewestFirstFilteredAndPagedByCursorAcrossShards() async throws {
        let fixture = try SchedulerFixture(shards: 4)
        for number in 0..<12 { try await fixture.submit(id: "l\(number)", dependencies: [[]]) }
        let all = try await fixture.store.list(status: nil, limit: 100)
        #expect(all.next == nil)
        // Ids created in the same millisecond are ordered by id, newest-first otherwise.
        let expected = all.workflows.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map(\.id)
        #expect(all.workflows.map(\.id) == expected)
        #expect(Set(expected) == Set((0..<12).map { "l\($0)" }))
        var seen: [String] = []
        var cursor: ListCursor?
        repeat {
            let page = try await fixture.store.list(status: "pending", limit: 5, cursor: cursor)
            seen += page.workflows.map(\.id)
            cursor = page.next
            #expect(page.workflows.count == 5 || cursor == nil)
        } while cursor != nil
        #expect(seen == expected)
        #expect(try await fixture.store.list(status: "pending", limit: 5, offset: 5).workflows.map(\.id) == Array(expected[5..<10]))
        #expect(try await fixture.store.list(status: "completed", limit: 5).workflows.isEmpty)
        #expect(try await fixture.store.activeCount() == 12)
        #expect(Set(fixture.keys.shards.map(\.base)).count == 4)
    }

    @Test func keysOfDifferentWorkflowsNeverCollide() async throws {
        // Under the old schema `wf:v:tasks` was both the tasks of `v` and the workflow `v:tasks`.
        let fixture = try SchedulerFixture()
        for id in ["v", "v:tasks", "v:events", "tasks:v", "wf:v"] {
            #expect(try await fixture.submit(id: id, dependencies: [[]]) != .alreadyExists, "\(id)")
        }
        #expect(try await fixture.store.cancel("v:tasks"))
        for id in ["v", "v:events", "tasks:v", "wf:v"] {
            let stored = try #require(try await fixture.store.workflow(id), "\(id)")
            #expect(stored.id == id && stored.tasks.count == 1 && stored.tasks[0].agentID == "a0")
        }
        #expect(try await fixture.store.workflow("v:tasks") == nil)
        // The cancelled workflow's queued reference stays until a claim drops it.
        #expect(try await fixture.readyRefs() == ["v|0", "v:tasks|0", "v:events|0", "tasks:v|0", "wf:v|0"])
    }

    @Test func theShardCountIsRecordedAndAMismatchRefusesToStart() async throws {
        let fixture = try SchedulerFixture(shards: 4)
        #expect(try await ClusterMeta.check(fixture.keys, on: fixture.redis) == 4)
        #expect(try await ClusterMeta.check(fixture.keys, on: fixture.redis) == 4)
        let other = KeySchema(prefix: fixture.keys.prefix, shardCount: 8)
        do {
            _ = try await ClusterMeta.check(other, on: fixture.redis)
            Issue.record("a different shard count was accepted")
        } catch let error as ClusterMeta.Mismatch {
            #expect(error.recordedShards == 4 && error.configuredShards == 8)
            #expect(error.description.contains("ORCHESTRA_SHARDS is 8"))
            #expect(error.description.contains("written with 4 shards"))
        }
    }
}

/// The server's clock in epoch milliseconds.
func serverMilliseconds(_ redis: RedisClient) async throws -> Int64 {
    let parts = try await redis.send("TIME").decodeArray()
    return Int64(try parts[0].decodeString())! * 1000 + Int64(try parts[1].decodeString())! / 1000
}
