import Logging
import OrchestraAPI
import OrchestraConfig
import OrchestraRedis

extension ProviderLimiter {
    /// Runs `body` while a child task renews `permit` every third of the ttl. The renewals have
    /// stopped (the group awaited them) by the time this returns, so a release cannot race one.
    func whileRenewing<T: Sendable>(_ permit: Permit, _ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.renewUntilCancelled(permit) }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    private func renewUntilCancelled(_ permit: Permit) async {
        let interval = Duration.milliseconds(max(10, permitTTLMilliseconds / 3))
        while true {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                let reply = try await redis.run(
                    LimiterScripts.renew, keys: [.init(permit.keys.inFlight)],
                    arguments: [.init(permit.token), .init(permitTTLMilliseconds)])
                if reply.int == 0 {
                    logger.warning(
                        "provider permit had expired before its renewal; added again",
                        metadata: ["key": "\(permit.keys.inFlight)", "token": "\(permit.token)"])
                }
            } catch {
                logger.warning(
                    "could not renew provider permit", metadata: ["key": "\(permit.keys.inFlight)", "error": "\(error)"])
            }
        }
    }

    /// Drops `permit` and wakes one waiter. Never throws: on failure the permit expires after the ttl.
    func release(_ permit: Permit) async {
        guard let maxConcurrency = permit.limits.maxConcurrency else { return }
        do {
            try await redis.run(
                LimiterScripts.release, keys: [.init(permit.keys.inFlight), .init(permit.keys.wake)],
                arguments: [.init(permit.token), .init(maxConcurrency), .init(permitTTLMilliseconds)])
        } catch {
            logger.warning(
                "could not release provider permit; it expires by itself",
                metadata: ["key": "\(permit.keys.inFlight)", "error": "\(error)"])
        }
    }
}
