import OrchestraProviders

/// What to do after an attempt failed.
public enum RetryDecision: Sendable, Hashable {
    /// Try again after `after` (if attempts are left); `refundAttempt` keeps this attempt from
    /// counting (a provider's rate limit).
    case retry(after: Duration, refundAttempt: Bool)
    /// Fail the task now, whatever attempts are left.
    case fail
}

/// How the worker retries failed provider calls (DESIGN §3.8): capped exponential backoff with
/// full jitter; a rate limit (429) waits for the provider's `Retry-After` and does not spend an
/// attempt; final errors (other 4xx, authentication, malformed answers, unknown models) are not
/// retried. Whether attempts are left is the scheduler's call (the `fail` script), not this one's.
public struct RetryPolicy: Sendable, Hashable {
    /// The backoff ceiling of the first retry. Default 500 ms.
    public var baseDelay: Duration
    /// The largest backoff ceiling. Default 30 s.
    public var maximumDelay: Duration
    /// The longest `Retry-After` honoured as given; longer ones are cut to this. Default 1 hour.
    public var maximumRetryAfter: Duration
    /// Rate limits a task may meet without spending attempts; later ones spend an attempt each,
    /// so a limit that never lifts (an exhausted quota answers 429 too) still ends the task.
    /// 0 means no limit. Default 20.
    public var maximumRateLimitRefunds: Int

    /// A policy; the defaults are base 500 ms, cap 30 s, `Retry-After` up to an hour, 20 free
    /// rate limits per task.
    public init(
        baseDelay: Duration = .milliseconds(500),
        maximumDelay: Duration = .seconds(30),
        maximumRetryAfter: Duration = .seconds(3600),
        maximumRateLimitRefunds: Int = 20
    ) {
        self.baseDelay = max(.zero, baseDelay)
        self.maximumDelay = max(.zero, maximumDelay)
        self.maximumRetryAfter = max(.zero, maximumRetryAfter)
        self.maximumRateLimitRefunds = max(0, maximumRateLimitRefunds)
    }

    /// The backoff ceiling after failed attempt number `attempt` (1-based):
    /// `min(maximumDelay, baseDelay · 2^(attempt − 1))`.
    public func backoffCeiling(attempt: Int) -> Duration {
        let exponent = min(max(attempt, 1) - 1, 40)
        let scaled = baseDelay.seconds * Double(UInt64(1) << UInt64(exponent))
        return min(maximumDelay, .seconds(min(scaled, maximumDelay.seconds)))
    }

    /// Full jitter: `unit` (in `0..<1`) of the ceiling for `attempt`.
    public func backoff(attempt: Int, unit: Double) -> Duration {
        let fraction = min(max(unit, 0), 1)
        return .seconds(backoffCeiling(attempt: attempt).seconds * fraction)
    }

    /// The decision for `error` after attempt number `attempt`, with jitter drawn from `unit`.
    public func decision(for error: any Error, attempt: Int, unit: Double) -> RetryDecision {
        let backoff = backoff(attempt: attempt, unit: unit)
        if let error = error as? ProviderError {
            guard error.isRetryable else { return .fail }
            let wait = error.retryAfter.map { min($0, maximumRetryAfter) } ?? backoff
            return .retry(after: wait, refundAttempt: !error.spendsAttempt)
        }
        if error is ModelRoutingError || error is TaskInputError { return .fail }
        // Anything else a provider throws is unexpected: retry it like a transient failure.
        return .retry(after: backoff, refundAttempt: false)
    }

    /// The decision when the task's own data could not be read from Redis before the call: not
    /// the task's fault, so the attempt is refunded and retried after the usual backoff.
    public func decision(forStorageError error: any Error, attempt: Int) -> RetryDecision {
        .retry(after: backoff(attempt: attempt, unit: Double.random(in: 0..<1)), refundAttempt: true)
    }

    /// The decision for `error` after attempt number `attempt`, with random jitter.
    public func decision(for error: any Error, attempt: Int) -> RetryDecision {
        decision(for: error, attempt: attempt, unit: Double.random(in: 0..<1))
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
