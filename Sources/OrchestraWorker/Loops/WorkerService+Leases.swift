import Logging
import OrchestraScheduler

extension WorkerService {
    /// Renews every running task's lease in one call (one per shard) every third of the lease.
    /// A lease that was lost or a workflow that was cancelled stops its task: it writes nothing.
    /// Also the backstop for cancellation notices that were missed.
    func renewLeases() async {
        let interval = tuning.leaseRenewalInterval ?? queue.leaseDuration / 3
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
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
            }
        }
    }
}
