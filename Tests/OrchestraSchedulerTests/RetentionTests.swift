import OrchestraRedis
import OrchestraScheduler
import Testing

@Suite("Expired workflows leave the listing sets")
struct RetentionTests {
    @Test func theReaperForgetsExpiredFinishedWorkflowsOnly() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w1")  // retention 3600 s
        let shard = fixture.keys.shard(0)
        for id in ["done-gone", "done-kept", "waiting"] { try await fixture.submit(id: id, dependencies: [[]]) }
        for _ in 0..<2 {
            let task = try #require(try await fixture.claim(queue))
            #expect(try await queue.complete(task, resultJSON: "{}", output: "o") == .ok)
        }
        // Redis drops the first record as its EXPIRE would once the retention has passed.
        let gone = fixture.keys.workflow("done-gone")
        _ = try await fixture.redis.send("DEL", RedisArgument(gone.hash), RedisArgument(gone.tasks))

        fixture.clock.advance(.seconds(10))  // created 10 s ago: could not have expired yet
        #expect(try await queue.reap(shard, interval: .milliseconds(10)).forgotten == 0)
        try await Task.sleep(for: .milliseconds(20))  // the reaper lock lapses

        fixture.clock.advance(.seconds(3600))
        let report = try await queue.reap(shard, interval: .milliseconds(10))
        #expect(report.ranReaper && report.forgotten == 1)
        #expect(try await members(shard.workflows) == ["done-kept", "waiting"])
        #expect(try await members(shard.state("completed")) == ["done-kept"])
        #expect(try await members(shard.state("pending")) == ["waiting"])

        func members(_ key: String) async throws -> Set<String> {
            Set(try await fixture.redis.send("ZRANGE", RedisArgument(key), 0, -1).array?.compactMap(\.string) ?? [])
        }
    }
}
