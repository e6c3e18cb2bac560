import Logging
import OrchestraScheduler

extension WorkerService {
    /// Renews every running task's lease in one call (one per shard) every third of the lease.
    /// A lease that was lost or a workflow that was cancelled stops its task: it writes nothing.
    /// Also the backstop for cancellation notices that were missed.
    func renewLeases() async {
        let interval = tuning.leaseRenewalInterval ?? queue.leaseDuration / 3
        // After a failed renewal (Redis unreachable) the next comes sooner, doubling back up to
        // the interval, so a short outage does not eat into the lease.
        var wait = interval
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: wait)
            } catch {
                return
            }
            wait = interval
            guard tuning.renewsLeases else { continue }
            let current = running.all.filter { !$0.isStopped }
            guard !current.isEmpty else { continue }
            let sentAt = ContinuousClock.now
            do {
                let outcomes = try await queue.renew(current.map(\.task))
                for (task, outcome) in zip(current, outcomes) {
                    switch outcome {
                    case .renewed:
                        task.leaseRenewed(at: sentAt, for: queue.leaseDuration)
                    case .lost:
                        if task.stop(.leaseLost) == .stopped {
                            logger.warning("lease lost; task stopped", metadata: ["task": "\(task.ref)"])
                        }
                    case .cancelled:
                        task.stop(.workflowCancelled)
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("lease renewal failed", metadata: ["tasks": "\(current.count)", "error": "\(error)"])
                wait = min(interval, .milliseconds(200))
            }
        }
    }
}
