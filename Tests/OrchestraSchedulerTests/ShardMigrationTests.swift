import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Testing

@Suite("Moving the data to another shard count", .timeLimit(.minutes(5)))
struct ShardMigrationTests {
    @Test func everyWorkflowQueueEntryAndRecordMovesAndTheNewCountIsRecorded() async throws {
        let before = try SchedulerFixture(shards: 1)
        #expect(try await ClusterMeta.check(before.keys, on: before.redis) == 1)
        let queue = before.queue(worker: "w")
        let ids = (0..<12).map { "m\($0)" }
        for id in ids { try await before.submit(id: id, dependencies: [[], [0]]) }
        // Some finished, some waiting for a retry, the rest queued.
        for _ in 0..<4 {
            let task = try #require(try await before.claim(queue))
            #expect(try await queue.complete(task, SchedulingTests.answer("done")) == .ok)
        }
        let retried = try #require(try await before.claim(queue))
        #expect(try await queue.fail(retried, error: "503", retryAfter: .seconds(60)) == .retry)

        let migration = ShardMigration(redis: before.redis, prefix: before.keys.prefix)
        let running = try #require(try await before.claim(queue))
        await #expect(throws: ShardMigration.Refusal.self) { _ = try await migration.migrate(to: 4) }
        #expect(try await queue.complete(running, SchedulingTests.answer("done")) == .ok)

        let report = try await migration.migrate(to: 4)
        #expect(report.from == 1 && report.to == 4)
        #expect(report.workflowsMoved > 0 && report.workflowsMoved < 12, "those already in their new shard stay")
        #expect(try await migration.recordedShards() == 4)

        let settings = SchedulerSettings(keys: KeySchema(prefix: before.keys.prefix, shardCount: 4))
        let after = WorkflowStore(redis: before.redis, settings: settings)
        #expect(try await ClusterMeta.check(settings.keys, on: before.redis) == 4)
        await #expect(throws: ClusterMeta.Mismatch.self) { _ = try await ClusterMeta.check(before.keys, on: before.redis) }
        for id in ids {
            let workflow = try #require(try await after.workflow(id), "\(id)")
            #expect(workflow.tasks.count == 2)
        }
        #expect(Set(try await after.list(status: nil, limit: 100).workflows.map(\.id)) == Set(ids))
        #expect(try await after.activeCount() == 12, "none has finished")
        // Every queued task is claimable from its new shard, and nothing is left in the old one.
        let moved = TaskQueue(redis: before.redis, settings: settings, workerID: "w2", leaseDuration: .seconds(10))
        var claimed = 0
        for shard in settings.keys.shards {
            for task in try await moved.claimReady(from: shard, limit: 100) {
                #expect(settings.keys.shard(of: task.workflowID) == shard.index)
                claimed += 1
            }
        }
        let queued = try await after.queueDepths()
        #expect(claimed == 6 + 5, "six roots not yet run, five dependents released by completions")
        #expect(queued.reduce(0) { $0 + $1.delayed } == 1)
        let retriedShard = settings.keys.shard(settings.keys.shard(of: retried.workflowID))
        #expect(
            try await before.redis.send("ZSCORE", RedisArgument(retriedShard.delayed), RedisArgument(retried.ref)).decodeOptionalString()
                != nil)
        #expect(try await after.usageCounters().first?.calls == 5)
    }
}
