import OrchestraProviders
import OrchestraWorker
import Testing

@Suite("Retry policy", .timeLimit(.minutes(5)))
struct RetryPolicyTests {
    let policy = RetryPolicy()

    @Test func backoffCeilingDoublesPerAttemptUpToTheCap() {
        #expect(policy.backoffCeiling(attempt: 1) == .milliseconds(500))
        #expect(policy.backoffCeiling(attempt: 2) == .seconds(1))
        #expect(policy.backoffCeiling(attempt: 3) == .seconds(2))
        #expect(policy.backoffCeiling(attempt: 6) == .seconds(16))
        #expect(policy.backoffCeiling(attempt: 7) == .seconds(30))
        #expect(policy.backoffCeiling(attempt: 1000) == .seconds(30))
        #expect(policy.backoffCeiling(attempt: 0) == .milliseconds(500))
    }

    @Test func fullJitterSpansZeroToTheCeiling() {
        #expect(policy.backoff(attempt: 3, unit: 0) == .zero)
        #expect(policy.backoff(attempt: 3, unit: 0.5) == .seconds(1))
        #expect(policy.backoff(attempt: 3, unit: 0.999) > .milliseconds(1990))
        #expect(policy.backoff(attempt: 3, unit: 7) == .seconds(2))  // clamped
        for _ in 0..<200 {
            guard case .retry(let after, _) = policy.decision(for: ProviderError(.serverError, provider: "openai", status: 500), attempt: 2)
            else {
                Issue.record("a 500 must be retried")
                return
            }
            #expect(after >= .zero && after <= .seconds(1))
        }
    }

    @Test func serverErrorsTimeoutsAndConnectionFailuresRetryAndSpendAnAttempt() {
        for code in [ProviderError.Code.serverError, .timeout, .connection, .conflict] {
            let decision = policy.decision(for: ProviderError(code, provider: "openai"), attempt: 1, unit: 0.5)
            #expect(decision == .retry(after: .milliseconds(250), refundAttempt: false), "\(code)")
        }
    }

    @Test func rateLimitWaitsForRetryAfterAndRefundsTheAttempt() {
        let limited = ProviderError(.rateLimited, provider: "openai", status: 429, retryAfter: .seconds(7))
        #expect(policy.decision(for: limited, attempt: 5, unit: 0.1) == .retry(after: .seconds(7), refundAttempt: true))
        let withoutHeader = ProviderError(.rateLimited, provider: "openai", status: 429)
        #expect(policy.decision(for: withoutHeader, attempt: 2, unit: 0.5) == .retry(after: .milliseconds(500), refundAttempt: true))
        let absurd = ProviderError(.rateLimited, provider: "openai", status: 429, retryAfter: .seconds(86_400))
        #expect(policy.decision(for: absurd, attempt: 1, unit: 0) == .retry(after: .seconds(3600), refundAttempt: true))
    }

    @Test func serviceUnavailableHonoursRetryAfterButSpendsTheAttempt() {
        let unavailable = ProviderError(.serverError, provider: "anthropic", status: 503, retryAfter: .seconds(3))
        #expect(policy.decision(for: unavailable, attempt: 1, unit: 0) == .retry(after: .seconds(3), refundAttempt: false))
    }

    @Test func finalErrorsAreNotRetried() {
        for code in [ProviderError.Code.invalidRequest, .authentication, .malformedResponse, .notConfigured] {
            #expect(policy.decision(for: ProviderError(code, provider: "openai", status: 400), attempt: 1, unit: 0.5) == .fail, "\(code)")
        }
        let routing = ModelRoutingError(.unknownProvider, model: "mystery-1", message: "no provider")
        #expect(policy.decision(for: routing, attempt: 1, unit: 0.5) == .fail)
        #expect(policy.decision(for: TaskInputError("bad input"), attempt: 1, unit: 0.5) == .fail)
    }

    @Test func unexpectedErrorsAreRetriedLikeTransientOnes() {
        struct Odd: Error {}
        #expect(policy.decision(for: Odd(), attempt: 2, unit: 1) == .retry(after: .seconds(1), refundAttempt: false))
    }

    @Test func customBaseAndCap() {
        let custom = RetryPolicy(baseDelay: .milliseconds(100), maximumDelay: .milliseconds(250))
        #expect(custom.backoffCeiling(attempt: 1) == .milliseconds(100))
        #expect(custom.backoffCeiling(attempt: 2) == .milliseconds(200))
        #expect(custom.backoffCeiling(attempt: 3) == .milliseconds(250))
    }
}
