import OrchestraConfig
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler
import Testing

@Suite("ProviderLimiter: cluster-wide requests per window", .timeLimit(.minutes(5)))
struct ProviderLimiterRateTests {
    @Test func twelveCallsAtFivePerSecondTakeTwoWindows() async throws {
        try await LimiterCluster.with(3, limits: ["openai": ProviderLimits(requestsPerMinute: 5)], window: .seconds(1)) { cluster throws in
            let starts = Timeline()
            let begin = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for call in 0..<12 {
                    let limiter = cluster.limiters[call % cluster.limiters.count]
                    group.addTask {
                        try await limiter.withPermit(provider: "openai") {
                            starts.mark()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - begin
            let sorted = starts.sorted
            #expect(sorted.count == 12)
            #expect(elapsed >= .milliseconds(1950))
            #expect(elapsed < .seconds(6))
            // No six starts within one window (a little slack for scheduling between grant and body).
            for index in 5..<sorted.count {
                #expect(sorted[index] - sorted[index - 5] >= .milliseconds(800))
            }
            let keys = cluster.keys("openai")
            #expect(try await cluster.count(keys.window) <= 5)
            // A rate-only limit holds no permits.
            #expect(try await cluster.redis.send("EXISTS", RedisArgument(keys.inFlight)).int == 0)
        }
    }

    @Test func concurrencyAndRateLimitsApplyTogether() async throws {
        let limits = ProviderLimits(maxConcurrency: 2, requestsPerMinute: 4)
        try await LimiterCluster.with(2, limits: ["grok": limits], window: .seconds(1)) { cluster throws in
            let counter = InFlightCounter()
            let begin = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for call in 0..<6 {
                    let limiter = cluster.limiters[call % 2]
                    group.addTask {
                        try await limiter.withPermit(provider: "grok") {
                            try await counter.counting { try await Task.sleep(for: .milliseconds(100)) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(counter.entered == 6)
            #expect(counter.peak == 2)
            // Calls 5 and 6 wait for the first window to pass.
            #expect(ContinuousClock.now - begin >= .milliseconds(950))
            #expect(try await cluster.count(cluster.keys("grok").inFlight) == 0)
        }
    }
}
