import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OrchestraClient
import OrchestraRedis
import OrchestraScheduler

/// The hot path as users drive it: workflows submitted with `POST /run-graph` over HTTP to a real
/// gateway process, run by real worker processes with the echo provider at zero latency. Reports
/// tasks/s beside the Redis ceiling of the same run, and the CPU time each process spent per task
/// (from `/proc/<pid>/stat` for the gateway and workers, `INFO cpu` for Redis): CPU per task
/// hardly moves with machine noise, unlike wall-clock rates on a shared 2-core machine.
struct FrontDoorBenchmark {
    var redisURL: String
    /// `host:port` of every master of a Redis Cluster to run on (empty: the one Redis at `redisURL`).
    var clusterNodes: [String] = []
    /// `ORCHESTRA_SHARDS` of the run.
    var shards = 1
    var workers = 1
    var connections = 16
    var workflows = 20_000
    var fanOutGraphs = 20
    var sequentialSamples = 1000
    /// F4: one-task workflows one client submits with `POST /run-graph/batch` (0 skips).
    var batchWorkflows = 20_000
    var batchSize = 100
    /// F4: connections the client submits its batches on.
    var batchConnections = 1
    var environment: [String: String] = [:]
    var logger: Logger

    /// CPU seconds a process (or Redis) used, sampled before and after a phase.
    struct CPU {
        var gateway = 0.0
        var workers = 0.0
        /// Per Redis node (one entry on a single Redis).
        var redisNodes: [Double] = []
        var client = 0.0
        var redis: Double { redisNodes.reduce(0, +) }

        static func - (lhs: CPU, rhs: CPU) -> CPU {
            CPU(
                gateway: lhs.gateway - rhs.gateway, workers: lhs.workers - rhs.workers,
                redisNodes: zip(lhs.redisNodes, rhs.redisNodes).map { $0 - $1 }, client: lhs.client - rhs.client)
        }
    }

    struct Phase {
        var tasks = 0
        var seconds = 0.0
        var cpu = CPU()
        var submitP50 = 0.0
        var submitP99 = 0.0
        /// What Redis ran during the phase (`INFO commandstats`, all nodes).
        var commands = CommandStats()
        var tasksPerSecond: Double { seconds > 0 ? Double(tasks) / seconds : 0 }
        func microsecondsPerTask(_ seconds: Double) -> Double { tasks > 0 ? seconds * 1e6 / Double(tasks) : 0 }
    }

    struct Figures {
        var ceilingP1 = 0.0
        /// redis-server CPU µs per SET/GET of the ceiling run: one plain command over the network.
        var ceilingMicrosecondsPerCommand = 0.0
        /// F0: the HTTP floor (``HTTPFloor``) driven like F1: CPU µs per request of the floor server.
        var httpFloorMicroseconds = 0.0
        /// The same with one Redis round trip (`PING`, our client) per request; 0 on a cluster.
        var httpRedisFloorMicroseconds = 0.0
        var oneTask = Phase()
        var fanOut = Phase()
        var sequentialP50 = 0.0
        var sequentialP99 = 0.0
        /// F4: workflows accepted per second of submitting, and the phase to the last completion.
        var batchSubmitRate = 0.0
        /// F4's submission alone (workers paused): CPU of the gateway and of Redis.
        var batchSubmitCPU = CPU()
        var batch = Phase()
    }

    func run() async throws -> Figures {
        let clustered = !clusterNodes.isEmpty
        let redisConfiguration = try RedisConfiguration(
            url: clustered ? nil : redisURL, clusterNodes: clustered ? clusterNodes.joined(separator: ",") : nil)
        let ceilingNode = clustered ? try RedisConfiguration(url: "redis://\(clusterNodes[0])") : redisConfiguration
        var figures = Figures()
        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        defer { redis.shutdown() }
        // One plain connection per node, for its `INFO cpu`.
        let nodes = try (clustered ? clusterNodes.map { "redis://\($0)" } : [redisURL]).map {
            RedisClient(configuration: try RedisConfiguration(url: $0), logger: logger)
        }
        defer { nodes.forEach { $0.shutdown() } }
        let ceilingRequests = 200_000
        let ceilingNodeCPU = nodes[0]
        let cpuBeforeCeiling = ProcessCPU.redisSeconds(try await ceilingNodeCPU.send("INFO", "cpu").decodeString())
        figures.ceilingP1 = try RedisCeiling.measure(
            host: ceilingNode.host, port: ceilingNode.port, password: ceilingNode.password,
            clients: 50, pipeline: 1, requests: ceilingRequests, cluster: clustered)
        let ceilingCPU = ProcessCPU.redisSeconds(try await ceilingNodeCPU.send("INFO", "cpu").decodeString()) - cpuBeforeCeiling
        // SET then GET, `ceilingRequests` each; on a cluster the first node serves about a share.
        figures.ceilingMicrosecondsPerCommand =
            clustered ? 0 : ceilingCPU * 1e6 / Double(2 * ceilingRequests)
        var environment = self.environment
        environment["ORCHESTRA_SHARDS"] = String(shards)
        if clustered { environment["REDIS_CLUSTER_NODES"] = clusterNodes.joined(separator: ",") }
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        let cluster = try await BenchCluster.start(redisURL: redisURL, workers: workers, environment: environment, logger: logger)
        do {
            let gateway = GatewayClient(baseURL: cluster.gatewayURL, apiKey: nil, httpClient: http)
            let completed = CompletedCounter(redis: redis, keys: KeySchema(prefix: cluster.keyPrefix, shardCount: shards))
            // Warm up: connections open, scripts loaded, code paths hot.
            _ = try await submitAll(oneTaskBodies(count: 500, tag: "warm"), gateway: gateway)
            try await completed.waitFor(500)

            let bodies = oneTaskBodies(count: workflows, tag: "one")
            figures.oneTask = try await measure(
                tasks: workflows, cluster: cluster, nodes: nodes, completed: completed, expected: 500 + workflows
            ) {
                try await submitAll(bodies, gateway: gateway)
            }
            let floorSamples = clustered ? 1 : 2  // the workflows the floors submit for their answer
            figures.httpFloorMicroseconds = try await httpFloor(bodies: bodies, answerFrom: gateway, http: http)
            if !clustered {
                figures.httpRedisFloorMicroseconds = try await httpFloor(
                    bodies: bodies, answerFrom: gateway, redisURL: redisURL, http: http)
            }

            if fanOutGraphs > 0 {
                let graph = fanOutBody()
                let graphs = (0..<fanOutGraphs).map { _ in graph }
                figures.fanOut = try await measure(
                    tasks: fanOutGraphs * 102, cluster: cluster, nodes: nodes, completed: completed,
                    expected: 500 + workflows + floorSamples + fanOutGraphs
                ) {
                    try await submitAll(graphs, gateway: gateway)
                }
            }

            // One connection, one submission at a time: the latency of POST /run-graph itself.
            let sequential = oneTaskBodies(count: sequentialSamples, tag: "seq")
            var samples: [Double] = []
            samples.reserveCapacity(sequential.count)
            for body in sequential {
                let started = ContinuousClock.now
                _ = try await gateway.submit(body)
                samples.append((ContinuousClock.now - started).seconds * 1000)
            }
            figures.sequentialP50 = Percentile.of(samples, 50)
            figures.sequentialP99 = Percentile.of(samples, 99)

            // One client, one connection, batches of `batchSize` with POST /run-graph/batch, while
            // the workers are paused (the submission rate alone), then run to the last completion.
            if batchWorkflows > 0 {
                let bodies = oneTaskBodies(count: batchWorkflows, tag: "batch")
                var submitting = Duration.zero
                var submitCPU = CPU()
                figures.batch = try await measure(
                    tasks: batchWorkflows, cluster: cluster, nodes: nodes, completed: completed,
                    expected: 500 + workflows + floorSamples + fanOutGraphs + sequentialSamples + batchWorkflows
                ) {
                    cluster.workers.signalAll(SIGSTOP)
                    defer { cluster.workers.signalAll(SIGCONT) }
                    let cpuBefore = try await cluster.cpu(redisNodes: nodes)
                    let started = ContinuousClock.now
                    let latencies = try await gateway.submitAll(bodies, batchSize: batchSize, lanes: batchConnections)
                    submitting = ContinuousClock.now - started
                    submitCPU = try await cluster.cpu(redisNodes: nodes) - cpuBefore
                    return latencies
                }
                figures.batchSubmitRate = Double(batchWorkflows) / submitting.seconds
                figures.batchSubmitCPU = submitCPU
            }
        } catch {
            await cluster.stop()
            try? await http.shutdown()
            throw error
        }
        await cluster.stop()
        try await http.shutdown()
        return figures
    }

    /// Runs `submit`, waits until `expected` workflows have completed, and reports the phase.
    private func measure(
        tasks: Int, cluster: BenchCluster, nodes: [RedisClient], completed: CompletedCounter, expected: Int,
        _ submit: () async throws -> [Double]
    ) async throws -> Phase {
        let before = try await cluster.cpu(redisNodes: nodes)
        let commandsBefore = try await CommandStats.of(nodes)
        let started = ContinuousClock.now
        let latencies = try await submit()
        try await completed.waitFor(expected)
        let elapsed = ContinuousClock.now - started
        let after = try await cluster.cpu(redisNodes: nodes)
        let commandsAfter = try await CommandStats.of(nodes)
        return Phase(
            tasks: tasks, seconds: elapsed.seconds, cpu: after - before, submitP50: Percentile.of(latencies, 50),
            submitP99: Percentile.of(latencies, 99), commands: commandsAfter - commandsBefore)
    }

    /// F0: the floor server (``HTTPFloor``) answering `bodies` with the gateway's own answer to one
    /// of them, over the same connections as F1; its CPU µs per request.
    private func httpFloor(
        bodies: [Data], answerFrom gateway: GatewayClient, redisURL: String? = nil, http: HTTPClient
    ) async throws -> Double {
        // A real answer to a fresh workflow (which then completes: the callers count it).
        let sample = try await gateway.request(
            .POST, "/run-graph",
            body: Data(
                #"{"workflow_type":"sequential","tasks":[{"agent_id":"a","agent_role":"backend","input_data":{"task":"floor"}}]}"#.utf8))
        guard sample.status == 200 else { throw GatewayClient.Failure(status: sample.status, body: sample.text) }
        let floor = try await HTTPFloor.start(answer: sample.text, redisURL: redisURL, logger: logger)
        let client = GatewayClient(baseURL: floor.url, apiKey: nil, httpClient: http)
        do {
            _ = try await client.submitAll(Array(bodies.prefix(500)), lanes: connections)  // warm up
            let before = floor.process.pids.map(ProcessCPU.seconds(pid:)).reduce(0, +)
            _ = try await client.submitAll(bodies, lanes: connections)
            let after = floor.process.pids.map(ProcessCPU.seconds(pid:)).reduce(0, +)
            await floor.process.stopAll()
            return (after - before) * 1e6 / Double(bodies.count)
        } catch {
            await floor.process.stopAll()
            throw error
        }
    }

    private func submitAll(_ bodies: [Data], gateway: GatewayClient) async throws -> [Double] {
        try await gateway.submitAll(bodies, lanes: connections)
    }

    private func oneTaskBodies(count: Int, tag: String) -> [Data] {
        (0..<count).map { index in
            Data(
                #"{"workflow_type":"sequential","tasks":[{"agent_id":"a","agent_role":"backend","input_data":{"task":"\#(tag) \#(index)"}}]}"#
                    .utf8)
        }
    }

    private func fanOutBody() -> Data {
        var tasks = [#"{"agent_id":"plan","agent_role":"coordinator","input_data":{"task":"split"}}"#]
        tasks += (0..<100).map {
            #"{"agent_id":"m\#($0)","agent_role":"backend","input_data":{"task":"part \#($0)"},"depends_on":["plan"]}"#
        }
        let middle = (0..<100).map { "\"m\($0)\"" }.joined(separator: ",")
        tasks.append(#"{"agent_id":"merge","agent_role":"qa","input_data":{"task":"merge"},"depends_on":[\#(middle)]}"#)
        return Data(#"{"workflow_type":"graph","tasks":[\#(tasks.joined(separator: ","))]}"#.utf8)
    }

}

/// How many workflows of the benchmark's key prefix have completed (observation only: the
/// workflows themselves go through the gateway).
struct CompletedCounter {
    let redis: RedisClient
    let keys: KeySchema

    func waitFor(_ count: Int, timeout: Duration = .seconds(600)) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await completed() < count {
            guard ContinuousClock.now < deadline else { throw BenchmarkError("workflows did not complete within \(timeout)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
    private func completed() async throws -> Int {
        var total = 0
        for shard in keys.shards { total += try await redis.send("ZCARD", RedisArgument(shard.state("completed"))).decodeInt() }
        return total
    }

}

/// CPU time of processes, from the kernel's accounting.
enum ProcessCPU {
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// User + system CPU seconds of `pid` (0 when it is gone), from `/proc/<pid>/stat`.
    static func seconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / ticksPerSecond
    }

    /// `used_cpu_user + used_cpu_sys` of Redis's `INFO cpu`.
    static func redisSeconds(_ info: String) -> Double {
        var total = 0.0
        for line in info.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0] == "used_cpu_user" || parts[0] == "used_cpu_sys" else { continue }
            total += Double(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return total
    }
}

extension FrontDoorBenchmark.Figures {
    /// The report the README quotes.
    func report(workflows: Int, connections: Int, workers: Int, fanOutGraphs: Int, batchSize: Int, batchConnections: Int) -> String {
        func number(_ value: Double, _ decimals: Int = 0) -> String { String(format: "%10.\(decimals)f", value) }
        func lines(_ phase: FrontDoorBenchmark.Phase, route: String = "POST /run-graph      ") -> [String] {
            let total = phase.cpu.gateway + phase.cpu.workers + phase.cpu.redis
            return [
                "   end to end (first submit → last completion) \(number(phase.tasksPerSecond)) tasks/s",
                "   as a share of the -P 1 ceiling            \(number(ceilingP1 > 0 ? phase.tasksPerSecond / ceilingP1 : 0, 3))",
                "   \(route) p50 / p99           \(number(phase.submitP50, 2)) / \(String(format: "%.2f", phase.submitP99)) ms",
                "   CPU per task: gateway                     \(number(phase.microsecondsPerTask(phase.cpu.gateway), 1)) µs",
                "                 workers                     \(number(phase.microsecondsPerTask(phase.cpu.workers), 1)) µs",
                "                 redis-server                \(number(phase.microsecondsPerTask(phase.cpu.redis), 1)) µs"
                    + (phase.cpu.redisNodes.count > 1
                        ? "   (per node: "
                            + phase.cpu.redisNodes.map { String(format: "%.1f", phase.microsecondsPerTask($0)) }.joined(separator: " / ")
                            + ")"
                        : ""),
                "                 all three                   \(number(phase.microsecondsPerTask(total), 1)) µs",
                "                 (the benchmark's client     \(number(phase.microsecondsPerTask(phase.cpu.client), 1)) µs)",
                "   in Redis per task: FCALLs \(perTask(phase.commands.functionCalls)), \(perTask(phase.commands.functionMicroseconds)) µs"
                    + " in them (the commands they run included)",
                "                      other commands \(perTask(phase.commands.otherCalls)), \(perTask(phase.commands.otherMicroseconds)) µs"
                    + " (run by functions or sent directly)",
            ]
            func perTask(_ value: Double) -> String { String(format: "%.1f", phase.tasks > 0 ? value / Double(phase.tasks) : 0) }
        }
        var report = [
            "redis-benchmark -c 50 -P 1   (ceiling)         \(number(ceilingP1)) ops/s",
            "F1 \(workflows) one-task workflows over HTTP, \(connections) connections, \(workers) worker(s):",
        ]
        report += lines(oneTask)
        report += [
            "   floors in this run: an HTTP request to Hummingbird answering a constant    \(number(httpFloorMicroseconds, 1)) µs CPU",
            "                       the same with one Redis PING (our client) per request \(number(httpRedisFloorMicroseconds, 1)) µs CPU",
            "                       a plain Redis command over the network (ceiling run) \(number(ceilingMicrosecondsPerCommand, 1)) µs CPU",
        ]
        if fanOutGraphs > 0 {
            report.append("F2 \(fanOutGraphs) graphs of 1 → 100 → 1 over HTTP, \(connections) connections:")
            report += lines(fanOut)
        }
        report += [
            "F3 POST /run-graph, one connection, one at a time:",
            "   p50 / p99                                 \(number(sequentialP50, 3)) / \(String(format: "%.3f", sequentialP99)) ms",
        ]
        if batch.tasks > 0 {
            report += [
                "F4 \(batch.tasks) one-task workflows with POST /run-graph/batch, \(batchSize) per request, "
                    + (batchConnections == 1 ? "one connection:" : "\(batchConnections) connections:"),
                "   submitted, workers paused (accepted)      \(number(batchSubmitRate)) workflows/s",
                "   CPU per workflow of the submission alone: gateway "
                    + String(format: "%.1f", batch.microsecondsPerTask(batchSubmitCPU.gateway)) + " µs, redis-server "
                    + String(format: "%.1f", batch.microsecondsPerTask(batchSubmitCPU.redis)) + " µs",
            ]
            report += lines(batch, route: "POST /run-graph/batch")
        }
        return report.joined(separator: "\n")
    }
}

extension FrontDoorBenchmark {
    /// What live events cost per task: F1 with events on beside F1 with them off.
    static func eventsCost(on: Figures, off: Figures, workflows: Int, connections: Int) -> String {
        func row(_ name: String, _ on: Double, _ off: Double) -> String {
            "   " + name.padding(toLength: 26, withPad: " ", startingAt: 0) + String(format: " %9.1f %9.1f %9.1f", on, off, on - off)
        }
        func perTask(_ phase: Phase) -> (gateway: Double, workers: Double, redis: Double) {
            (
                phase.microsecondsPerTask(phase.cpu.gateway), phase.microsecondsPerTask(phase.cpu.workers),
                phase.microsecondsPerTask(phase.cpu.redis)
            )
        }
        let a = perTask(on.oneTask)
        let b = perTask(off.oneTask)
        return [
            "redis-benchmark -c 50 -P 1   (ceiling)       \(String(format: "%10.0f", on.ceilingP1)) ops/s",
            "F1 \(workflows) one-task workflows over HTTP, \(connections) connections: live events on, off, and what they add",
            "   CPU µs per task                   on       off    events",
            row("gateway", a.gateway, b.gateway),
            row("workers", a.workers, b.workers),
            row("redis-server", a.redis, b.redis),
            row("all three", a.gateway + a.workers + a.redis, b.gateway + b.workers + b.redis),
            "   tasks/s end to end         " + String(format: " %9.0f %9.0f", on.oneTask.tasksPerSecond, off.oneTask.tasksPerSecond),
        ].joined(separator: "\n")
    }
}

/// Counters of Redis's `INFO commandstats`, summed over nodes: what the functions cost in Redis's
/// own accounting, beside the commands they run.
struct CommandStats {
    /// `FCALL` calls and the µs Redis spent in them (the commands they run included).
    var functionCalls = 0.0
    var functionMicroseconds = 0.0
    /// Every other command: the ones functions run and the ones clients send directly.
    var otherCalls = 0.0
    var otherMicroseconds = 0.0

    static func - (lhs: CommandStats, rhs: CommandStats) -> CommandStats {
        CommandStats(
            functionCalls: lhs.functionCalls - rhs.functionCalls, functionMicroseconds: lhs.functionMicroseconds - rhs.functionMicroseconds,
            otherCalls: lhs.otherCalls - rhs.otherCalls, otherMicroseconds: lhs.otherMicroseconds - rhs.otherMicroseconds)
    }

    static func of(_ nodes: [RedisClient]) async throws -> CommandStats {
        var stats = CommandStats()
        for node in nodes { stats.add(try await node.send("INFO", "commandstats").decodeString()) }
        return stats
    }

    /// Adds lines such as `cmdstat_fcall:calls=12,usec=345,usec_per_call=28.75,...`.
    mutating func add(_ info: String) {
        for line in info.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[line.index(line.startIndex, offsetBy: 8)..<colon]
            // `INFO` itself is the benchmark's, not the run's.
            if name == "info" { continue }
            var calls = 0.0
            var usec = 0.0
            for pair in line[line.index(after: colon)...].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                if parts[0] == "calls" { calls = Double(parts[1]) ?? 0 }
                if parts[0] == "usec" { usec = Double(parts[1]) ?? 0 }
            }
            if name == "fcall" || name == "fcall_ro" {
                functionCalls += calls
                functionMicroseconds += usec
            } else {
                otherCalls += calls
                otherMicroseconds += usec
            }
        }
    }
}
