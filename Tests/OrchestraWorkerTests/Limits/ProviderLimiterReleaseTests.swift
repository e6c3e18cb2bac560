import OrchestraConfig
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Testing

@Suite("ProviderLimiter: permits come back however a call ends")
struct ProviderLimiterReleaseTests {
    let limits: [String: ProviderLimits] = ["openai": ProviderLimits(maxConcurrency: 1)]

    @Test func aThrowingCallReleasesItsPermit() async throws {
        try await LimiterCluster.with(2, limits: limits) { cluster throws in
            let keys = cluster.keys("openai")
            await #expect(throws: DeliberateFailure.self) {
                try await cluster.limiters[0].withPermit(provider: "openai") { () async throws -> Int in
                    #expect(try await cluster.count(keys.inFlight) == 1)
                    throw DeliberateFailure()
                }
            }
            #expect(try await cluster.count(keys.inFlight) == 0)
            // The only slot is free again at once, not after the 15 s ttl.
            let start = ContinuousClock.now
            let value = try await cluster.limiters[1].withPermit(provider: "openai") { 42 }
            #expect(value == 42)
            #expect(ContinuousClock.now - start < .seconds(2))
        }
    }

    @Test func aCancelledCallReleasesItsPermit() async throws {
        try await LimiterCluster.with(1, limits: limits) { cluster throws in
            let keys = cluster.keys("openai")
            let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
            let call = Task {
                try await cluster.limiters[0].withPermit(provider: "openai") {
                    startedContinuation.yield()
                    try await Task.sleep(for: .seconds(30))
                }
            }
            for await _ in started { break }
            #expect(try await cluster.count(keys.inFlight) == 1)
            call.cancel()
            await #expect(throws: CancellationError.self) { try await call.value }
            #expect(try await cluster.count(keys.inFlight) == 0)
        }
    }

    @Test func cancellingAWaitingCallerStopsItWithoutAPermit() async throws {
        try await LimiterCluster.with(2, limits: limits) { cluster throws in
            let keys = cluster.keys("openai")
            let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
            let (finish, finishContinuation) = AsyncStream.makeStream(of: Void.self)
            let holder = Task {
                try await cluster.limiters[0].withPermit(provider: "openai") {
                    startedContinuation.yield()
                    for await _ in finish { break }
                }
            }
            for await _ in started { break }

            let waiterRan = Flag()
            let blockedBefore = try await TestRedis.blockedClients(in: "blpop", via: cluster.redis)
            let waiter = Task {
                try await cluster.limiters[1].withPermit(provider: "openai") {
                    waiterRan.set()
                }
            }
            // Kept out by the limit, the waiter blocks on the wake list.
            try await TestRedis.waitUntilBlocked(in: "blpop", moreThan: blockedBefore, via: cluster.redis)
            let cancelledAt = ContinuousClock.now
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(ContinuousClock.now - cancelledAt < .seconds(2))
            #expect(!waiterRan.isSet)
            #expect(try await cluster.count(keys.inFlight) == 1)

            finishContinuation.yield()
            try await holder.value
            #expect(try await cluster.count(keys.inFlight) == 0)
        }
    }
}
