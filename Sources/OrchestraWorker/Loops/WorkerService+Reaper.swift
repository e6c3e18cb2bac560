import Logging
import OrchestraMetrics
import OrchestraScheduler

extension WorkerService {
    /// Runs each shard's reaper every ``WorkerTuning/reaperInterval``: requeues tasks of expired
    /// leases, promotes retries that are due, recovers stuck claims. The shard's lock makes one
    /// worker of the cluster do it per interval; the others' calls return at once.
    func reap() async {
        let interval = tuning.reaperInterval
        while !Task.isCancelled {
            for shard in keys.shards {
                do {
                    let report = try await queue.reap(shard, interval: interval)
                    metrics.reaped(requeued: report.requeued, failed: report.failed, recovered: report.recovered)
                    if report.requeued + report.failed + report.recovered > 0 {
                        logger.info(
                            "reaper recovered tasks",
                            metadata: [
                                "shard": "\(shard.base)", "requeued": "\(report.requeued)", "failed": "\(report.failed)",
                                "recovered": "\(report.recovered)",
                            ])
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.debug("reaper pass failed", metadata: ["shard": "\(shard.base)", "error": "\(error)"])
                }
            }
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }
}
