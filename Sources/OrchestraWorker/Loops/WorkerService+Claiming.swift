import Logging
import OrchestraScheduler

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

    /// One claim loop on `shard`: take capacity, claim what is ready without blocking, otherwise
    /// block on the ready queue (no sleep-polling); register what was claimed and hand it to the
    /// executions.
    func claimLoop(_ shard: ShardKeys, into sink: AsyncStream<RunningTask>.Continuation) async {
        var failures = 0
        while !Task.isCancelled {
            var held = await slots.acquire(upTo: tuning.claimBatchSize)
            guard held > 0 else { break }
            do {
                var tasks = try await queue.claimReady(from: shard, limit: held)
                if tasks.isEmpty {
                    // Nothing ready: keep one slot for the blocking pop, give the rest back.
                    slots.release(held - 1)
                    held = 1
                    if let task = try await queue.next(from: shard, block: tuning.claimBlock) { tasks = [task] }
                }
                slots.release(held - tasks.count)
                for task in tasks {
                    let runningTask = RunningTask(task)
                    running.insert(runningTask)
                    sink.yield(runningTask)
                }
                failures = 0
            } catch {
                slots.release(held)
                if Task.isCancelled { break }
                failures += 1
                let delay = Duration.milliseconds(min(2000, 50 << min(failures, 6)))
                logger.warning("claim failed; retrying", metadata: ["shard": "\(shard.base)", "error": "\(error)", "retry_in": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
    }
}
