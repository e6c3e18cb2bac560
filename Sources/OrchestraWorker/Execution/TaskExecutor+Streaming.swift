import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler

/// Where a worker's streamed text goes (`task.token` events) and how it is coalesced.
struct TokenEvents: Sendable {
    let log: EventLog
    let flushInterval: Duration
    let flushCharacters: Int
}

extension TaskExecutor {
    /// The attempt's provider call, streamed: its text goes out as `task.token` events (coalesced
    /// by a ``TokenRelay``) while the call runs, and every piece is written before this returns,
    /// so a task's tokens always come before its `task.completed` or `task.retrying`. A stopped
    /// task's unwritten text is dropped. `permitted` runs when the call got its permit (``gate``).
    func call(
        _ running: RunningTask, _ prepared: PreparedCall, permitted: @escaping @Sendable () -> Void
    ) async -> ProviderCall.Outcome {
        let task = running.task
        let log = tokens.log
        let gate = self.gate
        guard log.workflowStreamsEnabled else {
            // Events are off: no token events, no relay.
            return await ProviderCall.run(until: running) {
                try await gate.withPermit(provider: prepared.provider.name) {
                    permitted()
                    return try await prepared.provider.complete(prepared.request, onText: { _ in })
                }
            }
        }
        let relay = TokenRelay(flushInterval: tokens.flushInterval, flushCharacters: tokens.flushCharacters, logger: logger) {
            delta throws(RedisError) in
            try await log.appendToken(task, delta: delta)
        }
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await relay.run() }
            let outcome = await ProviderCall.run(until: running) {
                try await gate.withPermit(provider: prepared.provider.name) {
                    permitted()
                    return try await prepared.provider.complete(prepared.request, onText: relay.append)
                }
            }
            if case .stopped = outcome {
                relay.finish(discarding: true)
            } else {
                relay.finish()
            }
            await group.waitForAll()
            return outcome
        }
    }
}
