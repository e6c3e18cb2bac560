import ArgumentParser
import Logging
import OrchestraClient
import OrchestraConfig
import OrchestraRedis

/// `orchestra-bench …`: benchmarks that print figures beside the Redis ceiling of the same run. A
/// separate executable, so the `orchestra` binary users deploy carries no benchmark code and no
/// fake provider server; it starts the `orchestra` beside it.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orchestra-bench",
        abstract: "Run a benchmark of AI Orchestra and print its figures.",
        subcommands: [
            RedisBench.self, HTTPBench.self, EventsBench.self, CoreBench.self, ProvidersBench.self, FloorServerCommand.self,
        ]
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

    struct HTTPBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "http",
            abstract: "The front door: workflows over POST /run-graph to real processes; tasks/s and CPU µs per task of each process."
        )

        @Option(help: "The Redis server to measure (use a private one).")
        var redisURL = "redis://127.0.0.1:6379"

        @Option(help: "Worker processes.")
        var workers = 1

        @Option(help: "Concurrent HTTP connections submitting.")
        var connections = 16

        @Option(help: "F1: one-task workflows.")
        var workflows = 20_000

        @Option(help: "F2: graphs of 1 → 100 → 1 tasks (0 skips).")
        var fanOut = 20

        @Option(help: "F3: sequential submissions timed.")
        var samples = 1000

        @Option(help: "F4: one-task workflows submitted with POST /run-graph/batch by one client (0 skips).")
        var batchWorkflows = 20_000

        @Option(help: "F4: workflows per batch request.")
        var batchSize = 100

        @Option(help: "F4: connections the batches are submitted on.")
        var batchConnections = 1

        @Option(help: "Extra NAME=VALUE settings for the gateway and workers (repeatable).")
        var set: [String] = []

        @Option(help: "host:port,… of every master of a Redis Cluster to run on instead of --redis-url.")
        var redisClusterNodes: String?

        @Option(help: "ORCHESTRA_SHARDS of the run.")
        var shards = 1

        @Flag(
            help: "Run F1 twice, with live events on and off (EVENT_STREAM_MAXLEN=0, CLUSTER_EVENTS_MAXLEN=0), and report what events cost."
        )
        var compareEvents = false

        func run() async throws {
            var logger = Logger(label: "orchestra.bench")
            logger.logLevel = .warning
            var environment: [String: String] = [:]
            for pair in set {
                guard let equals = pair.firstIndex(of: "=") else { throw ValidationError("--set wants NAME=VALUE, got \(pair)") }
                environment[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            var benchmark = FrontDoorBenchmark(
                redisURL: redisURL, clusterNodes: (redisClusterNodes ?? "").split(separator: ",").map(String.init), shards: shards,
                workers: workers, connections: connections, workflows: workflows, fanOutGraphs: fanOut,
                sequentialSamples: samples, batchWorkflows: batchWorkflows, batchSize: batchSize, batchConnections: batchConnections,
                environment: environment, logger: logger)
            if compareEvents {
                benchmark.fanOutGraphs = 0
                benchmark.sequentialSamples = 0
                benchmark.batchWorkflows = 0
                let on = try await benchmark.run()
                benchmark.environment["EVENT_STREAM_MAXLEN"] = "0"
                benchmark.environment["CLUSTER_EVENTS_MAXLEN"] = "0"
                let off = try await benchmark.run()
                print(FrontDoorBenchmark.eventsCost(on: on, off: off, workflows: workflows, connections: connections))
                return
            }
            print(
                try await benchmark.run().report(
                    workflows: workflows, connections: connections, workers: workers, fanOutGraphs: fanOut, batchSize: batchSize,
                    batchConnections: batchConnections))
        }
    }

    struct EventsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "events",
            abstract: "E1: many SSE subscribers on one gateway: its memory per subscriber, delivery latency, stalled readers."
        )

        @Option(help: "The Redis server to use (use a private one).")
        var redisURL = "redis://127.0.0.1:6379"

        @Option(help: "SSE subscribers.")
        var subscribers = 1000

        @Option(help: "Workflows they watch (subscribers are spread over them).")
        var workflows = 100

        @Option(help: "Chained echo tasks per workflow.")
        var tasks = 4

        @Option(help: "Clients that open a stream and never read it.")
        var stalled = 50

        @Option(help: "ECHO_LATENCY_MS of the workers.")
        var echoLatency = 100

        func run() async throws {
            var logger = Logger(label: "orchestra.bench")
            logger.logLevel = .warning
            let benchmark = EventsBenchmark(
                redisURL: redisURL, subscribers: subscribers, workflows: workflows, tasksPerWorkflow: tasks, stalled: stalled,
                echoLatencyMilliseconds: echoLatency, logger: logger)
            print(try await benchmark.run().report(subscribers: subscribers, workflows: workflows, tasks: tasks, stalled: stalled))
        }
    }

    struct CoreBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "core",
            abstract: "W1 queued tasks/s, W2 submit→completed latency, W3 fan-out/fan-in workflows/s, commands per task."
        )

        @Option(help: "The Redis server to measure (use a private one).")
        var redisURL = "redis://127.0.0.1:6379"

        @Option(help: "Worker processes.")
        var workers = 2

        @Option(help: "W1: single-task workflows enqueued before the workers resume.")
        var queued = 20_000

        @Option(help: "W2: latency samples.")
        var samples = 300

        @Option(help: "W3: 1 → 100 → 1 graphs.")
        var fanOut = 50

        func run() async throws {
            var logger = Logger(label: "orchestra.bench")
            logger.logLevel = .warning
            let benchmark = CoreBenchmark(
                redisURL: redisURL, workers: workers, queuedWorkflows: queued, latencySamples: samples, fanOutWorkflows: fanOut,
                logger: logger)
            print(try await benchmark.run().report(workers: workers, queued: queued, fanOut: fanOut))
        }
    }

    struct ProvidersBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "providers",
            abstract: "W4: tasks calling a loopback OpenAI-format server with fixed latency, on one worker: wall time, peak memory."
        )

        @Option(help: "The Redis server to use (use a private one).")
        var redisURL = "redis://127.0.0.1:6379"

        @Option(help: "Tasks.")
        var tasks = 1000

        @Option(help: "Provider latency in milliseconds.")
        var latency = 200

        @Option(help: "WORKER_CONCURRENCY of the worker (default: the configuration's).")
        var concurrency: Int?

        @Option(help: "Concurrent HTTP connections submitting.")
        var connections = 16

        @Option(help: "Workflows per POST /run-graph/batch (0: one POST /run-graph each).")
        var batchSize = 0

        func run() async throws {
            var logger = Logger(label: "orchestra.bench")
            logger.logLevel = .warning
            let benchmark = ProviderBenchmark(
                redisURL: redisURL, tasks: tasks, providerLatency: .milliseconds(latency), workerConcurrency: concurrency,
                connections: connections, batchSize: batchSize, logger: logger)
            let figures = try await benchmark.run()
            let shown = concurrency.map(String.init) ?? "\(OrchestraConfiguration().workerConcurrency), the default"
            print(
                figures.report(
                    tasks: tasks, latency: .milliseconds(latency), connections: connections, batchSize: batchSize, concurrency: shown))
        }
    }
}
