import OrchestraConfig
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler
import Testing

@Suite("ProviderLimiter: cluster-wide concurrency", .timeLimit(.minutes(5)))
struct ProviderLimiterConcurrencyTests {
    @Test func fortyCallsOnFourWorkersNeverRunMoreThanThreeAtOnce() async throws {
        try await LimiterCluster.with(4, limits: ["openai": ProviderLimits(maxConcurrency: 3)]) { cluster throws in
            let counter = InFlightCounter()
            let start = ContinuousClock.now
            let finished = try await withThrowingTaskGroup(of: Int.self) { group in
                for call in 0..<40 {
                    let limiter = cluster.limiters[call % cluster.limiters.count]
                    group.addTask {
                        try await limiter.withPermit(provider: "openai") {
                            try await counter.counting {
                                try await Task.sleep(for: .milliseconds(50))
                                return call
                            }
                        }
                    }
                }
                var finished: Set<Int> = []
                for try await call in group { finished.insert(call) }
                return finished
            }
            let elapsed = ContinuousClock.now - start
            #expect(finished == Set(0..<40))
            #expect(counter.peak == 3)
            // 14 rounds of 50 ms; waiting for the 15 s permit expiry instead of a release's wake-up
            // would take far longer.
            #expect(elapsed >= .milliseconds(650))
            #expect(elapsed < .seconds(10))
            #expect(try await cluster.count(cluster.keys("openai").inFlight) == 0)
        }
    }

    @Test func aRunningCallRenewsItsPermitPastTheTTL() async throws {
        try await LimiterCluster.with(2, limits: ["grok": ProviderLimits(maxConcurrency: 1)], permitTTL: .milliseconds(300)) {
            cluster throws in
            let counter = InFlightCounter()
            let firstDone = Flag()
            let secondSawFirstDone = Flag()
            let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await cluster.limiters[0].withPermit(provider: "grok") {
                        try await counter.counting {
                            startedContinuation.yield()
                            // Four times the ttl: only renewals keep the permit alive this long.
                            try await Task.sleep(for: .milliseconds(1200))
                            firstDone.set()
                        }
                    }
                }
                for await _ in started { break }
                group.addTask {
                    try await cluster.limiters[1].withPermit(provider: "grok") {
                        await counter.counting {
                            secondSawFirstDone.set(firstDone.isSet)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(counter.entered == 2)
            #expect(counter.peak == 1)
            #expect(secondSawFirstDone.isSet)
        }
    }

    @Test func aCrashedHoldersPermitFreesAfterTheTTL() async throws {
        try await LimiterCluster.with(1, limits: ["anthropic": ProviderLimits(maxConcurrency: 1)], permitTTL: .seconds(1)) {
            cluster throws in
            let keys = cluster.keys("anthropic")
            let start = ContinuousClock.now
            // A worker that took the only permit and died: never renewed, never released.
            let expiry = try await cluster.serverMilliseconds() + 1000
            try await cluster.redis.send("ZADD", RedisArgument(keys.inFlight), RedisArgument(expiry), "crashed-worker:1")

            let ran = try await cluster.limiters[0].withPermit(provider: "anthropic") { true }
            let elapsed = ContinuousClock.now - start
            #expect(ran)
            #expect(elapsed >= .milliseconds(950))
            #expect(elapsed < .seconds(5))
            #expect(try await cluster.redis.send("ZSCORE", RedisArgument(keys.inFlight), "crashed-worker:1").isNull)
            #expect(try await cluster.count(keys.inFlight) == 0)
        }
    }
}
