import OrchestraRedis
import OrchestraScheduler
import ServiceLifecycle

extension WorkflowRoutes {
    /// How often a long-poll re-reads the status even without a notification, in case one was
    /// lost while the subscription reconnected.
    static let longPollRecheckInterval = Duration.seconds(5)

    /// Returns when the workflow is terminal or gone, `timeout` passes, or the server shuts down
    /// gracefully. Holds nothing but the waiter registered with ``WorkflowNotifications``.
    func waitUntilFinished(id: String, timeout: Duration) async {
        let services = self.services
        let deadline = ContinuousClock.now + timeout
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { return }
                let finished = await services.notifications.wait(
                    for: id, timeout: min(remaining, Self.longPollRecheckInterval),
                    isFinished: { await Self.isFinishedOrGone(id: id, services: services) }
                )
                if finished { return }
            }
        }
    }

    /// Reads only the status field. A Redis failure counts as finished so the caller re-reads
    /// at once and reports the failure instead of waiting it out.
    static func isFinishedOrGone(id: String, services: GatewayServices) async -> Bool {
        do {
            let reply = try await services.redis.send("HGET", RedisArgument(services.keys.workflow(id).hash), "status")
            guard let status = try reply.decodeOptionalString() else { return true }
            return isTerminal(status)
        } catch {
            return true
        }
    }
}
