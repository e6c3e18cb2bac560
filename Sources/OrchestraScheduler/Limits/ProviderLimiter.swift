public import Logging
public import OrchestraConfig
public import OrchestraRedis
import Synchronization

/// Cluster-wide limits per provider, enforced through Redis, so that any number of worker processes
/// together never run more calls at once, or start more calls per window, than one account allows.
///
/// Every call of a limited provider goes through three atomic scripts:
/// - **acquire** purges expired permits and old starts, checks both limits, and either adds the
///   call's permit and start or answers how long until a permit may expire or the window has room;
/// - **renew** runs every `permitTTL / 3` while the call runs, so the permit of a worker that died
///   (`kill -9`) expires after `permitTTL` and its slot comes back by itself;
/// - **release** drops the permit when the call returns, throws or is cancelled, and pushes a
///   wake-up for one waiter.
///
/// A caller kept out by the concurrency limit blocks in `BLPOP` on the wake list, with the acquire
/// hint (plus jitter) as timeout: a release anywhere in the cluster wakes one waiter at once, and a
/// crashed holder's expiry is caught by the timeout. A caller kept out by the window sleeps until the
/// window has room (plus jitter). Nothing polls in a loop.
///
/// Keys (see ``ProviderLimiterKeys``; all of one provider share the hash tag `{<provider>}`):
/// ```
/// <prefix>:limits:{<provider>}:inflight  ZSET  permit tokens of running calls, scored by expiry (epoch ms)
/// <prefix>:limits:{<provider>}:window    ZSET  tokens of calls started in the last window, scored by start (epoch ms)
/// <prefix>:limits:{<provider>}:wake      LIST  wake-ups pushed by releases; waiting callers BLPOP it
/// ```
/// For example `redis-cli ZCARD orchestra:limits:{openai}:inflight` shows the calls running now.
/// Tokens read `<instance>:<n>`, one instance id per limiter (process). Times are the Redis server's.
///
/// Providers without limits run at once and never touch Redis. Redis errors while acquiring are
/// thrown (as ``OrchestraRedis/RedisError``); a failed release is logged and the permit expires.
public final class ProviderLimiter: ProviderCallGate {
    /// Default lifetime of a permit that is not renewed.
    public static let defaultPermitTTL: Duration = .seconds(15)
    /// Default length of the requests-per-minute window.
    public static let defaultWindow: Duration = .seconds(60)

    let redis: RedisClient
    let keyPrefix: String
    let limitsByProvider: [String: ProviderLimits]
    let permitTTLMilliseconds: Int
    let windowMilliseconds: Int
    let logger: Logger
    private let instanceID: String
    private let sequence = Atomic<Int>(0)

    /// A limiter for `limits` (by provider name; absent or unlimited providers are not limited).
    ///
    /// - Parameters:
    ///   - redis: the client every script runs on; waiting callers take dedicated connections.
    ///   - keyPrefix: the cluster's key prefix, e.g. `orchestra`.
    ///   - permitTTL: how long a permit lives without renewal, i.e. how soon a crashed worker's slot
    ///     comes back; renewed every third of it. At least 30 ms.
    ///   - window: the window `requestsPerMinute` applies to; 60 s in production, shorter in tests.
    public init(
        redis: RedisClient,
        keyPrefix: String,
        limits: [String: ProviderLimits],
        permitTTL: Duration = ProviderLimiter.defaultPermitTTL,
        window: Duration = ProviderLimiter.defaultWindow,
        logger: Logger = Logger(label: "orchestra.limits")
    ) {
        self.redis = redis
        self.keyPrefix = keyPrefix
        self.limitsByProvider = limits.compactMapValues { limits in
            // Limits below 1 count as unset, as in the scripts (where 0 means "not limited").
            let cleaned = ProviderLimits(
                maxConcurrency: limits.maxConcurrency.flatMap { $0 > 0 ? $0 : nil },
                requestsPerMinute: limits.requestsPerMinute.flatMap { $0 > 0 ? $0 : nil })
            return cleaned.isUnlimited ? nil : cleaned
        }
        self.permitTTLMilliseconds = max(30, permitTTL.wholeMilliseconds)
        self.windowMilliseconds = max(1, window.wholeMilliseconds)
        self.logger = logger
        self.instanceID = String(UInt32.random(in: .min ... .max), radix: 16)
    }

    /// The limits in force for `provider`; ``ProviderLimits/unlimited`` when none are configured.
    public func limits(for provider: String) -> ProviderLimits {
        limitsByProvider[provider] ?? .unlimited
    }

    /// The Redis keys of `provider`'s limits.
    public func keys(for provider: String) -> ProviderLimiterKeys {
        ProviderLimiterKeys(prefix: keyPrefix, provider: provider)
    }

    /// Waits until `provider` admits one more call under its limits, runs `body` while holding (and
    /// renewing) a permit, and releases the permit however `body` ends. Throws `CancellationError`
    /// when cancelled while waiting; rethrows whatever `body` throws.
    public func withPermit<T: Sendable>(provider: String, _ body: @Sendable () async throws -> T) async throws -> T {
        let limits = self.limits(for: provider)
        guard !limits.isUnlimited else { return try await body() }
        let permit = Permit(keys: keys(for: provider), token: nextToken(), limits: limits)
        try await acquire(permit)
        guard limits.maxConcurrency != nil else { return try await body() }

        let result: Result<T, any Error>
        do {
            result = .success(try await whileRenewing(permit, body))
        } catch {
            result = .failure(error)
        }
        await release(permit)
        return try result.get()
    }

    private func nextToken() -> String {
        "\(instanceID):\(sequence.wrappingAdd(1, ordering: .relaxed).newValue)"
    }
}
