/// The Redis keys that hold one provider's cluster-wide limits. All of them share the hash tag
/// `{<provider>}`, so each limiter script touches a single slot on Redis Cluster.
///
/// ```
/// <prefix>:limits:{<provider>}:inflight  ZSET  permit tokens of running calls, scored by expiry (epoch ms)
/// <prefix>:limits:{<provider>}:window    ZSET  tokens of calls started in the last window, scored by start (epoch ms)
/// <prefix>:limits:{<provider>}:wake      LIST  wake-ups pushed by releases; waiting callers BLPOP it
/// ```
public struct ProviderLimiterKeys: Sendable, Hashable {
    /// Permits of calls in flight (concurrency limit).
    public let inFlight: String
    /// Start times of recent calls (requests-per-window limit).
    public let window: String
    /// Wake-ups for callers waiting on a concurrency permit.
    public let wake: String

    /// The keys of `provider` under `prefix` (trailing `:` of the prefix are ignored, so
    /// `orchestra` and `orchestra:` give the same keys).
    public init(prefix: String, provider: String) {
        var trimmed = Substring(prefix)
        while trimmed.last == ":" { trimmed = trimmed.dropLast() }
        let base = trimmed.isEmpty ? "limits:{\(provider)}" : "\(trimmed):limits:{\(provider)}"
        self.inFlight = base + ":inflight"
        self.window = base + ":window"
        self.wake = base + ":wake"
    }
}
