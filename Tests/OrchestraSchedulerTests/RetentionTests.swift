import OrchestraRedis
import OrchestraScheduler
import Testing

@Suite("Expired workflows leave the listing sets", .timeLimit(.minutes(5)))
struct RetentionTests {
    @Test func theReaperForgetsExpiredFinishedWorkflowsOnly() async throws {
        let fixture = try SchedulerFixture(retention: .seconds(5))
        let queue = fixture.queue(worker: "w1")
        let shard = fixture.keys.shard(0)
        let submittedAt = try await serverMilliseconds(fixture.redis)
        for id in ["done-gone", "done-kept", "waiting"] { try await fixture.submit(id: id, dependencies: [[]]) }
        for _ in 0..<2 {
            let task = try #require(try await fixture.claim(queue))
            #expect(try await queue.complete(task, SchedulingTests.answer("o")) == .ok)
        }
        // Finished records expire after the retention: their TTL is set.
        let kept = fixture.keys.workflow("done-kept")
        #expect(try await fixture.redis.send("PTTL", RedisArgument(kept.hash)).decodeInt() > 0)
        #expect(try await fixture.redis.send("PTTL", RedisArgument(kept.events)).decodeInt() > 0)
        // Make the other record persistent, and drop the first as its EXPIRE would.
        _ = try await fixture.redis.send("PERSIST", RedisArgument(kept.hash))
        let gone = fixture.keys.workflow("done-gone")
        _ = try await fixture.redis.send("DEL", RedisArgument(gone.hash), RedisArgument(gone.tasks))

        // Created less than the retention ago (by the server's clock): it could not have expired
        // yet, nothing is looked at. (On a slow machine the retention may have passed already.)
        let early = try await queue.reap(shard, interval: .milliseconds(10))
        if try await serverMilliseconds(fixture.redis) - submittedAt < 4000 { #expect(early.forgotten == 0) }
        if early.forgotten == 0 { try await fixture.reapUntil(queue, within: .seconds(20)) { $0.forgotten == 1 } }
        #expect(try await members(shard.workflows) == ["done-kept", "waiting"])
        #expect(try await members(shard.state("completed")) == ["done-kept"])
        #expect(try await members(shard.state("pending")) == ["waiting"])

        func members(_ key: String) async throws -> Set<String> {
            Set(try await fixture.strings(fixture.redis.send("ZRANGE", RedisArgument(key), 0, -1)))
        }
    }
}
