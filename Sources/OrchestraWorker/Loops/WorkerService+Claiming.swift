import Logging
import OrchestraConcurrency
import OrchestraRedis
import OrchestraScheduler
import Synchronization

extension WorkerService {
    /// Runs the claim loops until graceful shutdown begins or the task is cancelled.
    func claimUntilShutdown(into sink: AsyncStream<RunningTask>.Continuation) async {
        let loops = tuning.loopsPerShard(shardCount: keys.shardCount)
        await withTaskGroup(of: Void.self) { group in
            for shard in keys.shards {
                for _ in 0..<loops {
                    group.addTask { await self.claimLoop(shard, into: sink) }
                }
            }
            group.addTask { await self.shutdownSignal.wait() }
            // Claim loops run until cancelled, so the first child to end is the shutdown signal
            // (or every child ends because the worker itself was cancelled).
            _ = await group.next()
            group.cancelAll()
        }
    }

    /// One claim loop on `shard`. While the worker has free capacity it claims what is ready
    /// (several at once), and when nothing is, it blocks on the shard's ready list — holding no
    /// slot while it blocks, so every shard has a loop waiting whatever the concurrency, and a
    /// task that becomes ready anywhere starts at once. A reference popped when the capacity went
    /// to another loop meanwhile goes back to the head of the list.
    func claimLoop(_ shard: ShardKeys, into sink: AsyncStream<RunningTask>.Continuation) async {
        var failures = 0
        while !Task.isCancelled {
            guard await slots.waitUntilAvailable() else { break }
            var held = 0
            do {
                held = slots.tryAcquire(upTo: tuning.claimBatchSize)
                var tasks = held > 0 ? try await queue.claimReady(from: shard, limit: held) : []
                if tasks.isEmpty {
                    slots.release(held)
                    held = 0
                    guard let ref = try await queue.waitForReady(in: shard, block: tuning.claimBlock) else { continue }
                    held = slots.tryAcquire(upTo: 1)
                    guard held > 0 else {
                        try await queue.unclaim(ref, in: shard)
                        continue
                    }
                    // More that became ready with it are taken by the next turn, in a batch.
                    tasks = try await queue.claim(refs: [ref], in: shard)
                }
                slots.release(held - tasks.count)
                held = 0
                if !tasks.isEmpty { claimedSinceHeartbeat.store(true, ordering: .relaxed) }
                for task in tasks {
                    let runningTask = RunningTask(task, leaseDuration: queue.leaseDuration)
                    running.insert(runningTask)
                    sink.yield(runningTask)
                }
                failures = 0
            } catch {
                slots.release(held)
                if Task.isCancelled { break }
                failures += 1
                let delay = Duration.milliseconds(min(2000, 25 << min(failures, 7)))
                logger.warning("claim failed; retrying", metadata: ["shard": "\(shard.base)", "error": "\(error)", "retry_in": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
    }
}
