import Logging
import OrchestraRedis
import OrchestraScheduler

extension WorkerService {
    /// After claiming stopped for a graceful shutdown: waits up to the grace period for running
    /// tasks to finish, then hands back the rest — each is stopped (it writes nothing) and
    /// failed with a refunded attempt and an immediate retry, so another worker takes it soon
    /// and no attempt is spent. A task in the middle of writing its outcome is left to finish.
    func drainOrHandBack() async {
        let count = running.count
        guard count > 0 else { return }
        logger.info("shutting down: waiting for running tasks", metadata: ["tasks": "\(count)", "grace": "\(shutdownGrace)"])
        if await running.waitUntilEmpty(timeout: shutdownGrace) { return }
        guard !Task.isCancelled else { return }
        let leftovers = running.all.filter { $0.stop(.shutdown) == .stopped }
        logger.info("grace period over: handing tasks back", metadata: ["tasks": "\(leftovers.count)"])
        let message = "worker \(workerID) shut down; the task was handed back"
        await withDiscardingTaskGroup { group in
            for task in leftovers {
                group.addTask {
                    do {
                        _ = try await TaskExecutor.whileLeased(task) { () async throws(RedisError) -> AcknowledgeOutcome in
                            try await self.queue.fail(task.task, error: message, retryAfter: .milliseconds(1), refundAttempt: true)
                        }
                    } catch {
                        self.logger.warning("could not hand a task back", metadata: ["task": "\(task.ref)", "error": "\(error)"])
                    }
                }
            }
        }
    }
}
