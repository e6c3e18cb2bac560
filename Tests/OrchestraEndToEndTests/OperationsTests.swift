import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraTestSupport
import Testing

/// What operators rely on: Prometheus scrapes of gateways and workers, probes that tell a load
/// balancer or Kubernetes the truth while a process drains, the worker registry, JSON logs.
@Suite("End to end: metrics, probes, registry and logs", .serialized, .timeLimit(.minutes(10)))
struct OperationsTests {
    static let twoTasks =
        #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "qa", "input_data": {"task": "one"}}, {"agent_id": "b", "agent_role": "qa", "input_data": {"task": "two"}}]}"#

    @Test("gateway and worker /metrics parse as Prometheus text, and their counters move with the work")
    func metricsParseAndMove() async throws {
        // OpenAI answers nothing here: its tasks retry, then fail.
        let closed = try ClosedPort()
        let environment = ["OPENAI_BASE_URL": "http://127.0.0.1:\(closed.port)/v1", "OPENAI_API_KEY": "sk-test"]
        try await withCluster(environment: environment) { cluster in
            let member = try await cluster.startGateway()
            let gateway = GatewayHTTP(member)
            let probePort = try FreePort.find()
            try cluster.startWorker(environment: ["WORKER_METRICS_PORT": String(probePort)])
            let probes = GatewayHTTP(baseURL: "http://127.0.0.1:\(probePort)")
            try await eventually(within: .seconds(20)) { (try? await probes.request(.GET, "/ready"))?.status == 200 }
            #expect(try await probes.request(.GET, "/health").status == 200)

            let before = try PrometheusText(try await probes.request(.GET, "/metrics").text)
            let completedBefore = before.sum("orchestra_tasks_completed_total", ["provider": "echo"])
            let id = try await gateway.submit(Self.twoTasks)
            #expect(try await gateway.waitForTerminal(id).status == .completed)

            // The worker's own counters: both tasks started and completed, with their durations.
            let worker = try PrometheusText(try await probes.request(.GET, "/metrics").text)
            #expect(worker.sum("orchestra_tasks_completed_total", ["provider": "echo"]) == completedBefore + 2)
            #expect(worker.sum("orchestra_tasks_started_total", ["provider": "echo"]) >= 2)
            #expect(worker.sum("orchestra_task_duration_seconds_count", ["provider": "echo"]) >= 2)
            #expect(worker.sum("orchestra_task_queue_wait_seconds_count", [:]) >= 2)
            #expect(worker.sum("orchestra_provider_requests_total", ["provider": "echo", "status_class": "2xx"]) >= 2)
            #expect(worker.types["orchestra_task_duration_seconds"] == "histogram")
            #expect(worker.types["orchestra_tasks_completed_total"] == "counter")

            // A task whose provider is down: retried once, then failed, each counted.
            let failing = try await gateway.submit(
                #"{"workflow_type": "parallel", "tasks": [{"agent_id": "x", "agent_role": "qa", "input_data": {"task": "down"}, "llm_model": "gpt-4o", "max_attempts": 2}]}"#
            )
            #expect(try await gateway.waitForTerminal(failing).status == .failed)
            let afterFailure = try PrometheusText(try await probes.request(.GET, "/metrics").text)
            #expect(afterFailure.sum("orchestra_tasks_retried_total", ["provider": "openai", "model": "gpt-4o"]) == 1)
            #expect(afterFailure.sum("orchestra_tasks_failed_total", ["provider": "openai", "model": "gpt-4o"]) == 1)
            #expect(afterFailure.sum("orchestra_provider_requests_total", ["provider": "openai", "status_class": "error"]) == 2)

            // The gateway's: its HTTP requests by route and status, and gauges read from Redis.
            let scraped = try PrometheusText(try await gateway.request(.GET, "/metrics").text)
            #expect(scraped.sum("hb_requests_total", ["http_route": "/run-graph", "http_response_status_code": "200"]) >= 1)
            #expect(scraped.sum("orchestra_workers_alive", [:]) == 1)
            #expect(scraped.samples.contains { $0.name == "orchestra_queue_ready" && $0.labels["shard"] == "0" })
            #expect(scraped.sum("orchestra_workflows", ["status": "completed"]) >= 1)
        }
    }

    @Test("/metrics needs the API key, unless METRICS_PUBLIC=true")
    func metricsHonourTheAPIKey() async throws {
        try await withCluster(environment: ["API_KEY": "s3cret-key"]) { cluster in
            let closed = GatewayHTTP(try await cluster.startGateway())
            #expect(try await closed.request(.GET, "/metrics").status == 401)
            #expect(try await closed.request(.GET, "/metrics", headers: [("X-API-Key", "s3cret-key")]).status == 200)
            let open = GatewayHTTP(try await cluster.startGateway(environment: ["METRICS_PUBLIC": "true"]))
            let reply = try await open.request(.GET, "/metrics")
            #expect(reply.status == 200)
            _ = try PrometheusText(reply.text)
            #expect(try await open.request(.GET, "/workflows").status == 401, "only /metrics is opened")
        }
    }

    @Test("after SIGTERM a gateway's /ready answers 503 while it still serves, then it exits")
    func aDrainingGatewayIsNotReady() async throws {
        try await withCluster(environment: ["GATEWAY_DRAIN_SECONDS": "2"]) { cluster in
            let member = try await cluster.startGateway()
            let gateway = GatewayHTTP(member)
            cluster.signal(member, SIGTERM)
            try await eventually(within: .seconds(2)) { try await gateway.request(.GET, "/ready").status == 503 }
            let ready = try await gateway.request(.GET, "/ready")
            #expect(ready.text.contains("draining"))
            #expect(try await gateway.request(.GET, "/health").status == 200, "it still serves while it drains")
            try await cluster.waitForExit(member.pid, timeout: .seconds(15))
        }
    }

    @Test("a draining worker says so on /ready and in /workers; a worker killed -9 leaves /workers within its TTL")
    func theRegistryFollowsWorkersLivesAndDeaths() async throws {
        let environment = ["ECHO_LATENCY_MS": "3000", "WORKER_HEARTBEAT_SECONDS": "1", "WORKER_SHUTDOWN_GRACE_SECONDS": "20"]
        try await withCluster(environment: environment) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            let probePort = try FreePort.find()
            let draining = try cluster.startWorker(environment: ["WORKER_METRICS_PORT": String(probePort)])
            let probes = GatewayHTTP(baseURL: "http://127.0.0.1:\(probePort)")
            try await eventually(within: .seconds(20)) { (try? await probes.request(.GET, "/ready"))?.status == 200 }
            try await eventually(within: .seconds(20)) { try await Self.workers(gateway).count == 1 }

            // Running tasks keep the worker alive for a while after SIGTERM (its only worker runs both).
            let id = try await gateway.submit(Self.twoTasks)
            _ = try await gateway.waitUntil(id) { status in status.tasks.allSatisfy { $0.status == .running } }
            cluster.signal(draining, SIGTERM)
            try await eventually(within: .seconds(5)) { try await probes.request(.GET, "/ready").status == 503 }
            #expect(try await probes.request(.GET, "/ready").text.contains("draining"))
            #expect(try await probes.request(.GET, "/health").status == 200)
            try await eventually(within: .seconds(5)) {
                try await Self.workers(gateway).first { ($0["id"] as? String)?.contains("-\(draining.pid)-") == true }?["draining"] as? Bool
                    == true
            }

            let killed = try cluster.startWorker()
            try await eventually(within: .seconds(20)) {
                try await Self.workers(gateway).contains { ($0["id"] as? String)?.contains("-\(killed.pid)-") == true }
            }
            // kill -9: no goodbye, the entry expires after three missed heartbeats.
            cluster.signal(killed, SIGKILL)
            let killedAt = ContinuousClock.now
            try await eventually(within: .seconds(10)) {
                try await !Self.workers(gateway).contains { ($0["id"] as? String)?.contains("-\(killed.pid)-") == true }
            }
            #expect(ContinuousClock.now - killedAt < .seconds(5), "gone within its TTL of three 1 s heartbeats")
            #expect(try await gateway.waitForTerminal(id).status == .completed)
        }
    }

    @Test("LOG_FORMAT=json writes one JSON object per line")
    func jsonLogs() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("orchestra-json-log-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: output) }
        try await withCluster(environment: ["LOG_FORMAT": "json", "LOG_LEVEL": "info"]) { cluster in
            _ = try await cluster.startGateway(output: output)
        }
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 2)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["level"] is String && object["message"] is String && object["time"] is String, "\(line)")
        }
        #expect(lines.contains { $0.contains(#""message":"gateway listening""#) || $0.contains("listening") })
    }

    @Test("LOG_FORMAT=text writes the logger's metadata (set once per request) beside the entry's")
    func textLogsCarryMetadata() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("orchestra-text-log-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: output) }
        var id = ""
        try await withCluster(environment: ["LOG_FORMAT": "text", "LOG_LEVEL": "debug"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway(output: output))
            id = try await gateway.submit(Self.twoTasks)
        }
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        let submitted = try #require(lines.first { $0.contains("workflow submitted") }, "\(lines)")
        // Hummingbird sets the request id on the request's logger; the route adds the workflow's.
        #expect(submitted.contains("hb.request.id="), "\(submitted)")
        #expect(submitted.contains("workflow_id=\(id)"), "\(submitted)")
        #expect(submitted.contains(" debug "), "\(submitted)")
    }

    static func workers(_ gateway: GatewayHTTP) async throws -> [[String: Any]] {
        let reply = try await gateway.request(.GET, "/workers")
        guard reply.status == 200 else { throw ClusterError("/workers answered \(reply.status)") }
        let object = try JSONSerialization.jsonObject(with: reply.body)
        if let list = object as? [[String: Any]] { return list }
        return (object as? [String: Any])?["workers"] as? [[String: Any]] ?? []
    }
}

/// Prometheus's text exposition format, parsed strictly enough to catch a malformed scrape: every
/// sample line is `name{label="value",…} number` and belongs to a family with a `# TYPE`.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []
    var types: [String: String] = [:]

    init(_ text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4 else { throw ClusterError("bad TYPE line: \(line)") }
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            samples.append(try Self.sample(String(line)))
        }
        for sample in samples {
            let family = [
                sample.name, Self.strip(sample.name, "_bucket"), Self.strip(sample.name, "_sum"), Self.strip(sample.name, "_count"),
            ]
            guard family.contains(where: { types[$0] != nil }) else { throw ClusterError("\(sample.name) has no # TYPE") }
        }
    }

    /// The sum of the samples named `name` whose labels include `labels`.
    func sum(_ name: String, _ labels: [String: String]) -> Double {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
            .reduce(0) { $0 + $1.value }
    }

    private static func strip(_ name: String, _ suffix: String) -> String {
        name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
    }

    private static func sample(_ line: String) throws -> Sample {
        var name = ""
        var labels: [String: String] = [:]
        var rest = Substring(line)
        if let brace = line.firstIndex(of: "{") {
            name = String(line[..<brace])
            guard let close = line.lastIndex(of: "}") else { throw ClusterError("unclosed labels: \(line)") }
            var body = line[line.index(after: brace)..<close]
            while !body.isEmpty {
                guard let equals = body.firstIndex(of: "="), body[body.index(after: equals)] == "\"" else {
                    throw ClusterError("bad label in: \(line)")
                }
                let key = String(body[..<equals])
                var index = body.index(equals, offsetBy: 2)
                var value = ""
                while body[index] != "\"" {
                    if body[index] == "\\" { index = body.index(after: index) }
                    value.append(body[index])
                    index = body.index(after: index)
                }
                labels[key] = value
                body = body[body.index(after: index)...]
                if body.first == "," { body = body.dropFirst() }
            }
            rest = line[line.index(after: close)...]
        } else {
            let space = try #require(line.firstIndex(of: " "))
            name = String(line[..<space])
            rest = line[space...]
        }
        guard name.range(of: "^[a-zA-Z_:][a-zA-Z0-9_:]*$", options: .regularExpression) != nil else {
            throw ClusterError("bad metric name in: \(line)")
        }
        let fields = rest.split(separator: " ")
        guard let first = fields.first, let value = Double(first) ?? (first == "+Inf" ? .infinity : nil) else {
            throw ClusterError("bad value in: \(line)")
        }
        return Sample(name: name, labels: labels, value: value)
    }
}
