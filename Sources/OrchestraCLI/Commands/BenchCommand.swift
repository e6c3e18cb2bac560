import ArgumentParser
import OrchestraRedis

/// `orchestra bench …`: benchmarks that print figures beside the Redis ceiling of the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark and print its figures.",
        subcommands: [RedisBench.self]
    )

    struct RedisBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "redis",
            abstract: "Redis client throughput: (a) sequential, (b) 200 concurrent callers, (c) 100-command pipelines."
        )

        @Option(help: "The Redis server to measure (use a private one).")
        var redisURL = "redis://127.0.0.1:6379"

        @Option(help: "Seconds per measurement.")
        var seconds = 3.0

        @Option(help: "Shared (pipelined) connections of the client.")
        var connections = 2

        func run() async throws {
            var configuration = try RedisConfiguration(url: redisURL)
            configuration.multiplexedConnections = connections
            let figures = try await RedisClientBenchmark(configuration: configuration, seconds: seconds).run()
            print(figures.report)
        }
    }
}
