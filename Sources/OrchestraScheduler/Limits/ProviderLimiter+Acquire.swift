import Logging
import OrchestraAPI
import OrchestraConfig
import OrchestraRedis

extension ProviderLimiter {
    /// Runs the acquire script until it grants `permit`, waiting in between on its hint: blocked on
    /// the wake list when the concurrency limit is full, asleep when the window is.
    func acquire(_ permit: Permit) async throws {
        let arguments: [RedisArgument] = [
            RedisArgument(permit.token),
            RedisArgument(permit.limits.maxConcurrency ?? 0),
            RedisArgument(permit.limits.requestsPerMinute ?? 0),
            RedisArgument(windowMilliseconds),
            RedisArgument(permitTTLMilliseconds),
        ]
        while true {
            try Task.checkCancellation()
            let reply: RESPValue
            do {
                reply = try await redis.run(
                    LimiterScripts.acquire, keys: [.init(permit.keys.inFlight), .init(permit.keys.window)], arguments: arguments)
            } catch {
                // The script may have run even though its reply was lost: drop a permit it may have added.
                await release(permit)
                throw error
            }
            guard let values = reply.array, let granted = values.first?.int else {
                throw RedisError(.protocolError, "limits-acquire returned \(reply)")
            }
            if granted == 1 { return }
            let busy = values.count > 1 ? values[1].int ?? 0 : 0
            let full = values.count > 2 ? values[2].int ?? 0 : 0
            if full > 0 {
                logger.trace("provider window full", metadata: ["key": "\(permit.keys.window)", "wait_ms": "\(full)"])
                try await Task.sleep(for: .milliseconds(Self.jittered(full)))
            } else {
                logger.trace("provider concurrency full", metadata: ["key": "\(permit.keys.inFlight)", "wait_ms": "\(busy)"])
                try await waitForRelease(on: permit.keys.wake, atMost: min(Self.jittered(max(1, busy)), permitTTLMilliseconds))
            }
        }
    }

    /// Blocks until a release pushes a wake-up or `milliseconds` pass.
    private func waitForRelease(on wakeKey: String, atMost milliseconds: Int) async throws {
        let timeout = max(1, milliseconds)
        // BLPOP takes seconds with a fraction (Redis ≥ 6); 0 would block forever, hence the minimum of 1 ms.
        let seconds = "\(timeout / 1000)." + String(String(timeout % 1000 + 1000).dropFirst())
        do {
            _ = try await redis.blockingSend(["BLPOP", RedisArgument(wakeKey), RedisArgument(seconds)], blockFor: .milliseconds(timeout))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
    }

    /// `milliseconds` plus up to a tenth of it (at most 200 ms) plus up to 5 ms, so that waiters
    /// that got the same hint do not all come back at the same instant.
    static func jittered(_ milliseconds: Int) -> Int {
        let spread = min(milliseconds / 10, 200) + 5
        return milliseconds + Int.random(in: 0...spread)
    }
}
