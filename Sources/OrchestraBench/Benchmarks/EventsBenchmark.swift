import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OrchestraAPI
import OrchestraClient
import OrchestraTestSupport
import Synchronization

/// The bounds of live events on one gateway: `subscribers` Server-Sent Events clients spread over
/// `workflows` workflows (each a chain of `tasksPerWorkflow` echo tasks), plus `stalled` clients
/// that connect and never read. Reports the gateway's resident memory before the subscribers
/// connect, once they are all connected, and at the end (the stalled clients must not grow it), and
/// the delivery latency of `task.completed` events — from the event's timestamp (Redis's clock,
/// when the completing function ran) to its arrival at a client on the same machine.
struct EventsBenchmark {
    var redisURL: String
    var subscribers = 1000
    var workflows = 100
    var tasksPerWorkflow = 4
    var stalled = 50
    var workers = 1
    var echoLatencyMilliseconds = 100
    var logger: Logger

    struct Figures {
        var rssBefore = 0.0
        var rssConnected = 0.0
        var rssEnd = 0.0
        var connected = 0
        var delivered = 0
        var latencyP50 = 0.0
        var latencyP99 = 0.0
        var latencyMax = 0.0
        var seconds = 0.0
        /// CPU seconds spent during the run by the gateway and by this process (the subscribers).
        var gatewayCPU = 0.0
        var clientCPU = 0.0
    }

    func run() async throws -> Figures {
        var figures = Figures()
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: subscribers + 16)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        let cluster = try await BenchCluster.start(
            redisURL: redisURL, workers: workers, environment: ["ECHO_LATENCY_MS": String(echoLatencyMilliseconds)], logger: logger)
        do {
            let gateway = GatewayClient(baseURL: cluster.gatewayURL, apiKey: nil, httpClient: http)
            guard let gatewayPID = cluster.gateway.pids.first else { throw BenchmarkError("the gateway is not running") }
            // The workers wait while the subscribers connect, so every event happens live.
            cluster.workers.signalAll(SIGSTOP)
            var ids: [String] = []
            for index in 0..<workflows {
                let tasks = (0..<tasksPerWorkflow).map { task in
                    let depends = task == 0 ? "" : #","depends_on":["t\#(task - 1)"]"#
                    return #"{"agent_id":"t\#(task)","agent_role":"backend","input_data":{"task":"events \#(index).\#(task)"}\#(depends)}"#
                }
                let body = Data(#"{"workflow_type":"graph","tasks":[\#(tasks.joined(separator: ","))]}"#.utf8)
                ids.append(try await gateway.submit(body).workflowId)
            }
            figures.rssBefore = Double(ProcessMemory.residentBytes(pid: gatewayPID) ?? 0) / 1_048_576

            let connected = Counter()
            let latencies = Latencies()
            let stalledSockets = try (0..<stalled).map { index in
                try StalledReader(port: URL(string: cluster.gatewayURL)!.port!, path: "/workflows/\(ids[index % ids.count])/events")
            }
            defer { stalledSockets.forEach { $0.close() } }
            let started = ContinuousClock.now
            let cpuBefore = (ProcessCPU.seconds(pid: gatewayPID), ProcessCPU.seconds(pid: getpid()))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<subscribers {
                    let url = cluster.gatewayURL + "/workflows/\(ids[index % ids.count])/events"
                    group.addTask { try await Self.follow(url: url, http: http, connected: connected, latencies: latencies) }
                }
                // Every subscriber holds its stream (the replay of `workflow.submitted` arrived).
                let deadline = ContinuousClock.now + .seconds(120)
                while connected.value < subscribers {
                    guard ContinuousClock.now < deadline else { throw BenchmarkError("only \(connected.value) subscribers connected") }
                    try await Task.sleep(for: .milliseconds(20))
                }
                figures.rssConnected = Double(ProcessMemory.residentBytes(pid: gatewayPID) ?? 0) / 1_048_576
                cluster.workers.signalAll(SIGCONT)
                try await group.waitForAll()
            }
            figures.seconds = (ContinuousClock.now - started).seconds
            figures.gatewayCPU = ProcessCPU.seconds(pid: gatewayPID) - cpuBefore.0
            figures.clientCPU = ProcessCPU.seconds(pid: getpid()) - cpuBefore.1
            figures.rssEnd = Double(ProcessMemory.residentBytes(pid: gatewayPID) ?? 0) / 1_048_576
            figures.connected = connected.value
            let samples = latencies.values
            figures.delivered = samples.count
            figures.latencyP50 = Percentile.of(samples, 50)
            figures.latencyP99 = Percentile.of(samples, 99)
            figures.latencyMax = samples.max() ?? 0
        } catch {
            cluster.workers.signalAll(SIGCONT)
            await cluster.stop()
            try? await http.shutdown()
            throw error
        }
        await cluster.stop()
        try await http.shutdown()
        return figures
    }

    /// Reads one workflow's stream to its end, timing each `task.completed` event.
    private static func follow(url: String, http: HTTPClient, connected: Counter, latencies: Latencies) async throws {
        let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(600))
        guard response.status == .ok else { throw BenchmarkError("\(url) answered \(response.status)") }
        var pending = ""
        var counted = false
        for try await chunk in response.body {
            pending += String(buffer: chunk)
            while let newline = pending.firstIndex(of: "\n") {
                let line = pending[..<newline]
                defer { pending = String(pending[pending.index(after: newline)...]) }
                guard line.hasPrefix("data: ") else { continue }
                let arrived = Date()
                guard case .object(let event) = try JSONValue.parse(Data(line.dropFirst(6).utf8)) else { continue }
                if !counted {
                    counted = true
                    connected.increment()
                }
                if event["type"]?.stringValue == "task.completed", let text = event["timestamp"]?.stringValue,
                    let stamp = Timestamp(iso8601: text)
                {
                    latencies.add(arrived.timeIntervalSince(stamp.date) * 1000)
                }
            }
        }
    }

    private final class Counter: Sendable {
        private let count = Atomic<Int>(0)
        func increment() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    private final class Latencies: Sendable {
        private let samples = Mutex<[Double]>([])
        func add(_ milliseconds: Double) { samples.withLock { $0.append(milliseconds) } }
        var values: [Double] { samples.withLock { $0 } }
    }
}

extension EventsBenchmark.Figures {
    /// The report the README quotes.
    func report(subscribers: Int, workflows: Int, tasks: Int, stalled: Int) -> String {
        func number(_ value: Double, _ decimals: Int = 1) -> String { String(format: "%10.\(decimals)f", value) }
        let perSubscriber = connected > 0 ? (rssConnected - rssBefore) * 1024 / Double(connected) : 0
        return [
            "E1 \(subscribers) SSE subscribers on one gateway, \(workflows) workflows of \(tasks) chained tasks, \(stalled) stalled readers:",
            "   subscribers holding a stream              \(number(Double(connected), 0))",
            "   gateway RSS before they connect           \(number(rssBefore)) MiB",
            "   gateway RSS with all connected            \(number(rssConnected)) MiB   (\(String(format: "%.1f", perSubscriber)) KiB per subscriber)",
            "   gateway RSS at the end                    \(number(rssEnd)) MiB   (stalled readers never read)",
            "   task.completed deliveries                 \(number(Double(delivered), 0))",
            "   delivery latency p50 / p99 / max          \(number(latencyP50)) / \(String(format: "%.1f", latencyP99)) / \(String(format: "%.1f", latencyMax)) ms",
            "   run time                                  \(number(seconds)) s",
            "   CPU during it: gateway / subscribers      \(number(gatewayCPU, 2)) / \(String(format: "%.2f", clientCPU)) s",
        ].joined(separator: "\n")
    }
}
