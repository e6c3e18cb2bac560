import Foundation
import Logging
import OrchestraAPI
import OrchestraClient
import OrchestraRedis
import OrchestraScheduler

/// The orchestration core's benchmark (W1–W3 and commands per task) with the echo provider at zero
/// latency, `workers` worker processes and one gateway process on one Redis, beside the Redis
/// ceiling measured by `redis-benchmark` in the same run.
struct CoreBenchmark {
    var redisURL: String
    var workers = 2
    var queuedWorkflows = 20_000
    var latencySamples = 300
    var fanOutWorkflows = 50
    var logger: Logger

    struct Figures {
        var ceilingP1 = 0.0
        var ceilingP16 = 0.0
        var w1TasksPerSecond = 0.0
        var commandsPerTask = 0.0
        var scriptCallsPerTask = 0.0
        var w2P50 = 0.0
        var w2P99 = 0.0
        var w3WorkflowsPerSecond = 0.0
    }

    func run() async throws -> Figures {
        let redisConfiguration = try RedisConfiguration(url: redisURL)
        var figures = Figures()
        figures.ceilingP1 = try RedisCeiling.measure(
            host: redisConfiguration.host, port: redisConfiguration.port, password: redisConfiguration.password,
            clients: 50, pipeline: 1, requests: 200_000)
        figures.ceilingP16 = try RedisCeiling.measure(
            host: redisConfiguration.host, port: redisConfiguration.port, password: redisConfiguration.password,
            clients: 50, pipeline: 16, requests: 2_000_000)

        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        defer { redis.shutdown() }
        let cluster = try await BenchCluster.start(redisURL: redisURL, workers: workers, logger: logger)
        do {
            try await queuedThroughput(cluster, redis: redis, into: &figures)
            try await submitToCompletedLatency(cluster, into: &figures)
            try await fanOutThroughput(cluster, into: &figures)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
        return figures
    }

    /// W1: the workers are paused, `queuedWorkflows` single-task workflows are enqueued, the workers
    /// resume; tasks/s until the last one completed. Redis's command counters cover exactly that span.
    private func queuedThroughput(_ cluster: BenchCluster, redis: RedisClient, into figures: inout Figures) async throws {
        let keys = KeySchema(prefix: cluster.keyPrefix, shardCount: 1)
        let store = WorkflowStore(redis: redis, settings: SchedulerSettings(keys: keys))
        try await Task.sleep(for: .milliseconds(500))  // let the workers reach their blocking pops
        cluster.workers.signalAll(SIGSTOP)
        let total = queuedWorkflows
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<200 {
                group.addTask {
                    for index in stride(from: lane, to: total, by: 200) {
                        let task = TaskSubmission(
                            agentID: "t", role: "backend", inputJSON: #"{"task":"Benchmark task \#(index)"}"#,
                            dependencies: [], dependents: [], dependsOnJSON: "[]", maxAttempts: 3)
                        let workflow = WorkflowSubmission(
                            id: "w1-\(index)", type: "sequential", metadataJSON: "{}", tasks: [task])
                        _ = try await store.submit(workflow)
                    }
                }
            }
            try await group.waitForAll()
        }
        try await redis.send("CONFIG", "RESETSTAT")
        let started = ContinuousClock.now
        cluster.workers.signalAll(SIGCONT)
        var polls = 0
        let completedKey = keys.shard(0).state("completed")
        while Int(try await redis.send("ZCARD", RedisArgument(completedKey)).int ?? 0) < total {
            polls += 1
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = ContinuousClock.now - started
        figures.w1TasksPerSecond = Double(total) / elapsed.seconds
        let stats = try await redis.send("INFO", "commandstats").string ?? ""
        let calls = Self.commandCalls(stats)
        let own = polls + 1  // our ZCARD polls (the last one included) and CONFIG RESETSTAT are not the workers'
        figures.commandsPerTask = Double(calls.values.reduce(0, +) - own) / Double(total)
        figures.scriptCallsPerTask = Double(calls["fcall", default: 0] + calls["evalsha", default: 0]) / Double(total)
    }

    /// W2: one workflow at a time over HTTP: submit, then long-poll its status until completed.
    private func submitToCompletedLatency(_ cluster: BenchCluster, into figures: inout Figures) async throws {
        let gateway = GatewayClient(baseURL: cluster.gatewayURL, apiKey: nil)
        let body = Data(
            #"{"workflow_type":"sequential","tasks":[{"agent_id":"a","agent_role":"backend","input_data":{"task":"ping"}}]}"#.utf8)
        var samples: [Double] = []
        for iteration in 0..<(latencySamples + 20) {
            let started = ContinuousClock.now
            let accepted = try await gateway.submit(body)
            let status = try await gateway.status(accepted.workflowId, wait: 10)
            let elapsed = ContinuousClock.now - started
            guard status.status == .completed else { throw BenchmarkError("W2 workflow ended \(status.status)") }
            if iteration >= 20 { samples.append(elapsed.seconds * 1000) }
        }
        figures.w2P50 = Percentile.of(samples, 50)
        figures.w2P99 = Percentile.of(samples, 99)
    }

    /// W3: `fanOutWorkflows` graphs of 1 → 100 → 1 tasks submitted at once; workflows/s until all completed.
    private func fanOutThroughput(_ cluster: BenchCluster, into figures: inout Figures) async throws {
        let gateway = GatewayClient(baseURL: cluster.gatewayURL, apiKey: nil)
        var tasks = [#"{"agent_id":"plan","agent_role":"coordinator","input_data":{"task":"split"}}"#]
        tasks += (0..<100).map {
            #"{"agent_id":"m\#($0)","agent_role":"backend","input_data":{"task":"part \#($0)"},"depends_on":["plan"]}"#
        }
        let middle = (0..<100).map { "\"m\($0)\"" }.joined(separator: ",")
        tasks.append(#"{"agent_id":"merge","agent_role":"qa","input_data":{"task":"merge"},"depends_on":[\#(middle)]}"#)
        let body = Data(#"{"workflow_type":"graph","tasks":[\#(tasks.joined(separator: ","))]}"#.utf8)
        let count = fanOutWorkflows
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let accepted = try await gateway.submit(body)
                    let status = try await gateway.waitForCompletion(accepted.workflowId)
                    guard status.status == .completed else { throw BenchmarkError("W3 workflow ended \(status.status)") }
                }
            }
            try await group.waitForAll()
        }
        figures.w3WorkflowsPerSecond = Double(count) / (ContinuousClock.now - started).seconds
    }

    /// `cmdstat_<name>:calls=<n>,…` lines of `INFO commandstats`, by command name.
    static func commandCalls(_ info: String) -> [String: Int] {
        var calls: [String: Int] = [:]
        for line in info.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_") {
            let parts = line.dropFirst("cmdstat_".count).split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let field = parts[1].split(separator: ",").first(where: { $0.hasPrefix("calls=") }),
                let count = Int(field.dropFirst("calls=".count))
            else { continue }
            calls[String(parts[0]), default: 0] += count
        }
        return calls
    }
}

extension CoreBenchmark.Figures {
    /// The report the README quotes.
    func report(workers: Int, queued: Int, fanOut: Int) -> String {
        func number(_ value: Double, _ decimals: Int = 0) -> String { String(format: "%10.\(decimals)f", value) }
        return [
            "redis-benchmark -c 50 -P 1   (ceiling)      \(number(ceilingP1)) ops/s",
            "redis-benchmark -c 50 -P 16  (ceiling)      \(number(ceilingP16)) ops/s",
            "W1 \(queued) queued single-task workflows, \(workers) workers:",
            "   throughput                               \(number(w1TasksPerSecond)) tasks/s   (target >= 5000)",
            "   Redis commands per task (incl. in Lua)   \(number(commandsPerTask, 1))",
            "   script calls (FCALL) per task            \(number(scriptCallsPerTask, 2))",
            "   tasks/s as a share of the -P 1 ceiling   \(number(ceilingP1 > 0 ? w1TasksPerSecond / ceilingP1 : 0, 3))",
            "W2 submit (HTTP) → completed, one at a time:",
            "   p50                                      \(number(w2P50, 2)) ms      (target <= 3)",
            "   p99                                      \(number(w2P99, 2)) ms",
            "W3 \(fanOut) graphs of 1 → 100 → 1 tasks:",
            "   throughput                               \(number(w3WorkflowsPerSecond, 1)) workflows/s (target >= 30)",
        ].joined(separator: "\n")
    }
}
