import OrchestraConfig
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Synchronization
import Testing

/// Counts the calls inside a permit's body and remembers the most that were there at once.
final class InFlightCounter: Sendable {
    private let current = Atomic<Int>(0)
    private let highest = Atomic<Int>(0)
    private let total = Atomic<Int>(0)

    /// The most calls seen in flight at the same time.
    var peak: Int { highest.load(ordering: .sequentiallyConsistent) }
    /// How many calls entered.
    var entered: Int { total.load(ordering: .sequentiallyConsistent) }

    /// Runs `body` counted as one call in flight.
    func counting<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        total.wrappingAdd(1, ordering: .sequentiallyConsistent)
        let now = current.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
        var seen = highest.load(ordering: .sequentiallyConsistent)
        while now > seen {
            let (exchanged, original) = highest.compareExchange(expected: seen, desired: now, ordering: .sequentiallyConsistent)
            if exchanged { break }
            seen = original
        }
        defer { current.wrappingSubtract(1, ordering: .sequentiallyConsistent) }
        return try await body()
    }
}

/// Several limiters, each with its own Redis client, as separate worker processes would have.
struct LimiterCluster {
    let prefix: String
    let clients: [RedisClient]
    let limiters: [ProviderLimiter]
    /// A client for inspecting and seeding the limiter's keys.
    var redis: RedisClient { clients[0] }

    func keys(_ provider: String) -> ProviderLimiterKeys { limiters[0].keys(for: provider) }

    /// Runs `body` with `count` limiters sharing one unique key prefix, then closes their clients.
    static func with<T>(
        _ count: Int,
        limits: [String: ProviderLimits],
        permitTTL: Duration = ProviderLimiter.defaultPermitTTL,
        window: Duration = ProviderLimiter.defaultWindow,
        _ body: (LimiterCluster) async throws -> T
    ) async throws -> T {
        let prefix = TestRedis.uniquePrefix("limiter")
        let clients = try (0..<count).map { _ in try TestRedis.client() }
        defer { for client in clients { client.shutdown() } }
        let limiters = clients.map {
            ProviderLimiter(redis: $0, keyPrefix: prefix, limits: limits, permitTTL: permitTTL, window: window)
        }
        return try await body(LimiterCluster(prefix: prefix, clients: clients, limiters: limiters))
    }

    /// The Redis server's clock in epoch milliseconds (the clock the limiter uses).
    func serverMilliseconds() async throws -> Int {
        let parts = try #require(try await redis.send("TIME").array)
        return try #require(parts[0].int) * 1000 + (try #require(parts[1].int)) / 1000
    }

    /// `ZCARD` of `key`.
    func count(_ key: String) async throws -> Int {
        try #require(try await redis.send("ZCARD", RedisArgument(key)).int)
    }

    /// Every key under the cluster's prefix.
    func allKeys() async throws -> [String] {
        try #require(try await redis.send("KEYS", RedisArgument(prefix + "*")).array).compactMap(\.string)
    }
}

/// An error a test body throws on purpose.
struct DeliberateFailure: Error, Equatable {}

/// Instants recorded from concurrent calls.
final class Timeline: Sendable {
    private let instants = Mutex<[ContinuousClock.Instant]>([])

    /// Records the current instant.
    func mark() { instants.withLock { $0.append(ContinuousClock.now) } }
    /// Every recorded instant, earliest first.
    var sorted: [ContinuousClock.Instant] { instants.withLock { $0 }.sorted() }
}

/// A flag set from one task and read from another.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)

    /// Sets the flag to `newValue`.
    func set(_ newValue: Bool = true) { value.store(newValue, ordering: .sequentiallyConsistent) }
    /// The flag's value.
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}
