import Logging
import OrchestraAPI
import OrchestraConcurrency
import OrchestraScheduler
import Synchronization

extension WorkerService {
    /// This worker's report for the registry now.
    func report() -> WorkerInfo {
        WorkerInfo(
            id: workerID, host: WorkerIdentity.hostname, version: OrchestraVersion.current, concurrency: slots.capacity,
            inFlight: running.count, draining: shutdownSignal.isSignalled)
    }

    /// Reports this worker to the registry every ``WorkerTuning/heartbeatInterval`` (its entry
    /// expires after three of them) until cancelled; at once when graceful shutdown begins, so
    /// operators see it draining.
    func heartbeat() async {
        var reportedDraining = false
        while !Task.isCancelled {
            do {
                try await registry.heartbeat(report(), claimed: claimedSinceHeartbeat.exchange(false, ordering: .relaxed))
                reportedDraining = reportedDraining || shutdownSignal.isSignalled
            } catch {
                if Task.isCancelled { return }
                logger.debug("heartbeat failed", metadata: ["error": "\(error)"])
            }
            // Wake early once to report the drain.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await Task.sleep(for: self.tuning.heartbeatInterval) }
                if !reportedDraining { group.addTask { await self.shutdownSignal.wait() } }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
