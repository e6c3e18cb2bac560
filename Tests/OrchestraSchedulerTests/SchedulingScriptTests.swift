import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Testing

@Suite("Scheduling scripts against a real redis-server")
struct SchedulingScriptTests {
    @Test func submitIsAtomicAndRejectsAnExistingID() async throws {
        let fixture = try SchedulerFixture()
        #expect(try await fixture.submit(id: "wf-1", dependencies: [[], [], [0, 1], [2]]) == .created)
        #expect(try await fixture.readyRefs() == ["wf-1|0", "wf-1|1"])
        let keysBefore = try await fixture.keyCount()
        #expect(try await fixture.submit(id: "wf-1", dependencies: [[]]) == .alreadyExists)
        #expect(try await fixture.keyCount() == keysBefore)
        #expect(try await fixture.readyRefs() == ["wf-1|0", "wf-1|1"])
        let stored = try #require(try await fixture.store.workflow("wf-1"))
        #expect(stored.status == "pending")
        #expect(stored.tasks.map(\.status) == ["pending", "pending", "pending", "pending"])
        #expect(stored.tasks.map(\.agentID) == ["a0", "a1", "a2", "a3"])
        #expect(stored.metadataJSON == #"{"k":1}"#)
        #expect(try await fixture.store.activeCount() == 1)
    }

    @Test func graphReleasesEachTaskWhenItsLastDependencyCompletesOnce() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w1")
        try await fixture.submit(id: "g", dependencies: [[], [], [0, 1], [2]])
        let first = try #require(try await fixture.claim(queue))
        let second = try #require(try await fixture.claim(queue))
        #expect(Set([first.index, second.index]) == [0, 1])
        #expect(try await fixture.claim(queue) == nil)
        #expect(try await queue.complete(first, resultJSON: "{}", output: "out-\(first.index)") == .ok)
        // A redelivered completion of the same claim changes nothing.
        #expect(try await queue.complete(first, resultJSON: "{}", output: "again") == .stale)
        #expect(try await fixture.readyRefs().isEmpty)
        #expect(try await queue.complete(second, resultJSON: "{}", output: "out-\(second.index)") == .ok)
        #expect(try await fixture.readyRefs() == ["g|2"])
        let third = try #require(try await fixture.claim(queue))
        #expect(third.index == 2)
        #expect(third.dependencies == [DependencyOutput(agentID: "a0", output: "out-0"), DependencyOutput(agentID: "a1", output: "out-1")])
        #expect(try await fixture.store.workflow("g")?.status == "running")
        #expect(try await queue.complete(third, resultJSON: "{}", output: "three", promptTokens: 5, completionTokens: 7) == .ok)
        let fourth = try #require(try await fixture.claim(queue))
        #expect(fourth.dependencies.map(\.agentID) == ["a2"])
        #expect(try await queue.complete(fourth, resultJSON: #"{"output":"done"}"#, output: "done") == .ok)
        let stored = try #require(try await fixture.store.workflow("g"))
        #expect(stored.status == "completed")
        #expect(stored.completedAt != nil && stored.startedAt != nil)
        #expect(stored.tasks.allSatisfy { $0.status == "completed" })
        #expect(stored.tasks[3].resultJSON == #"{"output":"done"}"#)
        #expect(stored.promptTokens == 5 && stored.completionTokens == 7)
        #expect(try await fixture.store.activeCount() == 0)
        #expect(try await fixture.store.list(status: "completed", limit: 10).map(\.id) == ["g"])
    }

    @Test func anExpiredLeaseIsRequeuedAndTheStaleWorkerIsFenced() async throws {
        let fixture = try SchedulerFixture()
        let dead = fixture.queue(worker: "dead", lease: .seconds(5))
        let alive = fixture.queue(worker: "alive", lease: .seconds(5))
        try await fixture.submit(id: "lease", dependencies: [[]])
        let stale = try #require(try await fixture.claim(dead))
        #expect(try await alive.reap(fixture.keys.shard(0), interval: .milliseconds(20)).requeued == 0)
        fixture.clock.advance(.seconds(6))
        try await Task.sleep(for: .milliseconds(30))  // the reaper lock lapses
        let report = try await alive.reap(fixture.keys.shard(0), interval: .milliseconds(20))
        #expect(report.ranReaper && report.requeued == 1)
        let fresh = try #require(try await fixture.claim(alive))
        #expect(fresh.epoch == stale.epoch + 1)
        #expect(fresh.attempts == 2)
        #expect(try await dead.renew([stale]) == [.lost])
        #expect(try await dead.storeAnswer(stale, answerJSON: "{}") == false)
        #expect(try await dead.complete(stale, resultJSON: "{}", output: "late") == .stale)
        #expect(try await dead.fail(stale, error: "late", retryAfter: nil) == .stale)
        #expect(try await alive.renew([fresh]) == [.renewed])
        #expect(try await alive.complete(fresh, resultJSON: "{}", output: "ok") == .ok)
        let stored = try #require(try await fixture.store.workflow("lease"))
        #expect(stored.status == "completed")
        #expect(stored.tasks[0].workerID == "alive")
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
        #expect(try await queue.complete(other, resultJSON: "{}", output: "fine") == .ok)
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
        #expect(try await queue.fail(task, error: "429", retryAfter: .seconds(2), refundAttempt: true) == .retry)
        #expect(try await fixture.store.workflow("r")?.tasks[0].status == "pending")
        #expect(try await queue.reap(fixture.keys.shard(0), interval: .milliseconds(10)).promoted == 0)
        fixture.clock.advance(.seconds(3))
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await queue.reap(fixture.keys.shard(0), interval: .milliseconds(10)).promoted == 1)
        task = try #require(try await fixture.claim(queue))
        #expect(task.attempts == 1)
        #expect(try await queue.fail(task, error: "503", retryAfter: .seconds(1)) == .retry)
        fixture.clock.advance(.seconds(2))
        try await Task.sleep(for: .milliseconds(20))
        _ = try await queue.reap(fixture.keys.shard(0), interval: .milliseconds(10))
        task = try #require(try await fixture.claim(queue))
        #expect(task.attempts == 2)
        #expect(try await queue.fail(task, error: "503 again", retryAfter: .seconds(1)) == .failed)
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
        #expect(try await queue.complete(running, resultJSON: "{}", output: "x") == .gone)
        #expect(try await fixture.claim(queue) == nil)  // the queued sibling is dropped
        #expect(try await fixture.readyRefs().isEmpty)
        #expect(try await fixture.keyCount() == 0)
        #expect(try await fixture.store.list(status: nil, limit: 10).isEmpty)
    }

    @Test func aClaimLostBetweenPopAndScriptIsRecovered() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        try await fixture.submit(id: "o", dependencies: [[]])
        let shard = fixture.keys.shard(0)
        // A worker pops and dies before its claim script.
        try await fixture.redis.send("LMOVE", RedisArgument(shard.ready), RedisArgument(shard.claimed), "LEFT", "RIGHT")
        #expect(try await fixture.claim(queue) == nil)
        #expect(try await queue.reap(shard, interval: .milliseconds(10)).recovered == 0)  // first sighting
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await queue.reap(shard, interval: .milliseconds(10)).recovered == 1)
        let task = try #require(try await fixture.claim(queue))
        #expect(task.workflowID == "o" && task.attempts == 1)
    }

    @Test func listingIsNewestFirstFilteredAndPagedAcrossShards() async throws {
        let fixture = try SchedulerFixture(shards: 4)
        for number in 0..<12 {
            fixture.clock.advance(.milliseconds(5))
            try await fixture.submit(id: "l\(number)", dependencies: [[]])
        }
        let all = try await fixture.store.list(status: nil, limit: 100)
        #expect(all.map(\.id) == (0..<12).reversed().map { "l\($0)" })
        #expect(try await fixture.store.list(status: "pending", limit: 5, offset: 5).map(\.id) == ["l6", "l5", "l4", "l3", "l2"])
        #expect(try await fixture.store.list(status: "completed", limit: 5).isEmpty)
        #expect(try await fixture.store.activeCount() == 12)
        #expect(Set(fixture.keys.shards.map(\.base)).count == 4)
    }
}
