import Logging
import OrchestraConcurrency
import OrchestraMetrics
import OrchestraScheduler

extension WorkerService {
    /// The worker's structure: background loops (notifications, lease renewal, reaper) around the
    /// work — claim loops feeding a task group of executions. Background loops stop once the work
    /// is over (claiming stopped and every task finished or was handed back).
    func runLoops(_ executor: TaskExecutor) async {
        let notifications = WorkflowNotifications(redis: redis, keys: keys, logger: logger)
        let token = notifications.addListener { [running, logger] event in
            guard case .cancelled(let id) = event else { return }
            let stopped = running.stop(workflowID: id, reason: .workflowCancelled)
            if stopped > 0 {
                logger.info("workflow cancelled: stopped its running tasks", metadata: ["workflow": "\(id)", "tasks": "\(stopped)"])
            }
        }
        defer { notifications.removeListener(token) }
        let (claims, sink) = AsyncStream.makeStream(of: RunningTask.self)
        await withDiscardingTaskGroup { background in
            background.addTask { try? await notifications.run() }
            background.addTask { await self.renewLeases() }
            background.addTask { await self.reap() }
            background.addTask { await self.heartbeat() }
            await withDiscardingTaskGroup { work in
                work.addTask {
                    await self.claimUntilShutdown(into: sink)
                    sink.finish()
                    if self.shutdownSignal.isSignalled, !Task.isCancelled { await self.drainOrHandBack() }
                }
                for await task in claims {
                    metrics.setInFlight(running.count)
                    work.addTask {
                        await executor.execute(task)
                        self.running.remove(task)
                        self.slots.release(1)
                        self.metrics.setInFlight(self.running.count)
                    }
                }
            }
            background.cancelAll()
        }
    }
}
