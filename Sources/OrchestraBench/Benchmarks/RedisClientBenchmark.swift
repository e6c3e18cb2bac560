import Foundation
import OrchestraClient
import OrchestraRedis
import Synchronization

/// Issue 2's benchmark: our client's throughput beside `redis-benchmark` on the same server.
struct RedisClientBenchmark {
    let configuration: RedisConfiguration
    let seconds: Double

    struct Figures {
        var sequential = 0.0
        var concurrent = 0.0
        var pipelined = 0.0
        var ceilingP1 = 0.0
        var ceilingP16 = 0.0
    }

    func run() async throws -> Figures {
        let client = RedisClient(configuration: configuration)
        defer { client.shutdown() }
        try await client.send("PING")
        let value = RedisArgument(String(repeating: "x", count: 3))  // redis-benchmark's default 3-byte payload
        var figures = Figures()

        // (a) one caller, sequential round trips.
        figures.sequential = try await measure(callers: 1) { caller, iteration in
            let key = RedisArgument("bench:seq:\(iteration % 1000)")
            if iteration % 2 == 0 { try await client.send("SET", key, value) } else { try await client.send("GET", key) }
            return 1
        }
        // (b) 200 concurrent callers, SET/GET, sharing the client's pipelined connections.
        figures.concurrent = try await measure(callers: 200) { caller, iteration in
            let key = RedisArgument("bench:c:\(caller):\(iteration % 100)")
            if iteration % 2 == 0 { try await client.send("SET", key, value) } else { try await client.send("GET", key) }
            return 1
        }
        // (c) the same callers, each sending explicit 100-command pipelines.
        let batch: [[RedisArgument]] = (0..<100).map { index in
            let key = RedisArgument("bench:p:\(index)")
            return index % 2 == 0 ? ["SET", key, value] : ["GET", key]
        }
        figures.pipelined = try await measure(callers: 200) { _, _ in
            let replies = try await client.pipeline(batch)
            return replies.count
        }
        let requests = 400_000
        figures.ceilingP1 = try RedisCeiling.measure(
            host: configuration.host, port: configuration.port, password: configuration.password, clients: 50, pipeline: 1,
            requests: requests
        )
        figures.ceilingP16 = try RedisCeiling.measure(
            host: configuration.host, port: configuration.port, password: configuration.password, clients: 50, pipeline: 16,
            requests: requests * 4
        )
        try await client.send(["EVAL", "for _, k in ipairs(redis.call('KEYS', 'bench:*')) do redis.call('DEL', k) end", 0])
        return figures
    }

    /// Runs `callers` tasks for `seconds`; each call of `body` returns the operations it did.
    private func measure(callers: Int, _ body: @escaping @Sendable (Int, Int) async throws -> Int) async throws -> Double {
        let stop = StopFlag()
        let started = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var operations = 0
                    var iteration = 0
                    while !stop.isSet {
                        operations += try await body(caller, iteration)
                        iteration += 1
                    }
                    return operations
                }
            }
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            stop.set()
            return try await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - started
        return Double(total) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}

extension RedisClientBenchmark.Figures {
    /// The report the README quotes.
    var report: String {
        func row(_ name: String, _ rate: Double, _ ceiling: Double, _ label: String) -> String {
            let ratio = ceiling > 0 ? rate / ceiling : 0
            return
                "\(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(format(rate)) ops/s   \(String(format: "%.2f", ratio))x \(label)"
        }
        return [
            "redis-benchmark -c 50 -P 1   (ceiling)          \(format(ceilingP1)) ops/s",
            "redis-benchmark -c 50 -P 16  (ceiling)          \(format(ceilingP16)) ops/s",
            row("(a) 1 caller, sequential round trips", sequential, ceilingP1, "of -P 1"),
            row("(b) 200 concurrent callers, SET/GET", concurrent, ceilingP1, "of -P 1   (target >= 1.00)"),
            row("(c) 200 callers, 100-command pipelines", pipelined, ceilingP16, "of -P 16  (target >= 0.30)"),
        ].joined(separator: "\n")
    }

    private func format(_ rate: Double) -> String { String(format: "%10.0f", rate) }
}

/// A flag benchmark loops poll to stop together.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
