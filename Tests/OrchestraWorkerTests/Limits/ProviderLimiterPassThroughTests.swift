import OrchestraConfig
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Testing

@Suite("ProviderLimiter: unlimited providers, keys, configuration")
struct ProviderLimiterPassThroughTests {
    @Test func unlimitedProvidersWriteNoKeys() async throws {
        let limits = ["openai": ProviderLimits(maxConcurrency: 2), "anthropic": .unlimited]
        try await LimiterCluster.with(1, limits: limits) { cluster throws in
            let limiter = cluster.limiters[0]
            let echo = try await limiter.withPermit(provider: "echo") { "echo" }
            let anthropic = try await limiter.withPermit(provider: "anthropic") { "anthropic" }
            #expect(echo == "echo")
            #expect(anthropic == "anthropic")
            #expect(try await cluster.allKeys().isEmpty)
            // The same limiter does write for a limited provider.
            let keysDuringCall = try await limiter.withPermit(provider: "openai") { try await cluster.allKeys() }
            #expect(keysDuringCall == [cluster.keys("openai").inFlight])
        }
    }

    @Test func unlimitedProvidersNeverTouchRedis() async throws {
        let redis = try TestRedis.client()
        redis.shutdown()
        let limiter = ProviderLimiter(redis: redis, keyPrefix: "unused", limits: ["openai": ProviderLimits(requestsPerMinute: 10)])
        let value = try await limiter.withPermit(provider: "grok") { 7 }
        #expect(value == 7)
        let error = await #expect(throws: RedisError.self) { try await limiter.withPermit(provider: "openai") { 7 } }
        #expect(error?.code == .closed)
    }

    @Test func keysAreReadableAndShareTheProvidersHashTag() {
        let keys = ProviderLimiterKeys(prefix: "orchestra", provider: "openai-compatible")
        #expect(keys.inFlight == "orchestra:limits:{openai-compatible}:inflight")
        #expect(keys.window == "orchestra:limits:{openai-compatible}:window")
        #expect(keys.wake == "orchestra:limits:{openai-compatible}:wake")
        #expect(ProviderLimiterKeys(prefix: "orchestra:", provider: "openai-compatible") == keys)
    }

    @Test func limitsComeFromTheProviderConfiguration() throws {
        let configuration = try ProviderConfiguration(environment: [
            "PROVIDER_MAX_CONCURRENCY_OPENAI": "4",
            "PROVIDER_RPM": "120",
            "PROVIDER_RPM_ANTHROPIC": "50",
        ])
        let redis = try TestRedis.client()
        defer { redis.shutdown() }
        let limiter = ProviderLimiter(redis: redis, keyPrefix: "orchestra", limits: configuration.limitsByProvider)
        #expect(limiter.limits(for: "openai") == ProviderLimits(maxConcurrency: 4, requestsPerMinute: 120))
        #expect(limiter.limits(for: "anthropic") == ProviderLimits(requestsPerMinute: 50))
        #expect(limiter.limits(for: "grok") == ProviderLimits(requestsPerMinute: 120))
        #expect(limiter.limits(for: "echo") == .unlimited)
        #expect(limiter.limits(for: "custom") == .unlimited)
    }
}
