import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import OrchestraClient
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Synchronization

/// W4: `tasks` one-task workflows submitted over HTTP (`connections` connections), each task
/// calling a loopback server in OpenAI's chat-completions format that answers after
/// `providerLatency`, on one worker process: wall time from the first submission to the last
/// completion, and the worker's peak memory.
struct ProviderBenchmark {
    var redisURL: String
    var tasks = 1000
    var providerLatency: Duration = .milliseconds(200)
    var workerConcurrency: Int?
    /// Concurrent HTTP connections submitting.
    var connections = 16
    /// Workflows per `POST /run-graph/batch` (0: one `POST /run-graph` each).
    var batchSize = 0
    var logger: Logger

    struct Figures {
        var wallSeconds = 0.0
        var peakMemoryMiB = 0.0
        var providerRequests = 0
        /// CPU seconds over the measured window; `client` is this process (the loopback provider
        /// and the submitting client).
        var cpu = FrontDoorBenchmark.CPU()
    }

    func run() async throws -> Figures {
        let server = FakeOpenAIServer(latency: providerLatency)
        return try await server.run { baseURL in
            var environment = ["OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-bench", "DEFAULT_LLM_MODEL": "gpt-4o-mini"]
            environment["WORKER_CONCURRENCY"] = workerConcurrency.map(String.init)
            let cluster = try await BenchCluster.start(redisURL: redisURL, workers: 1, environment: environment, logger: logger)
            let redis = RedisClient(configuration: try RedisConfiguration(url: redisURL), logger: logger)
            defer { redis.shutdown() }
            do {
                let figures = try await measure(cluster, redis: redis, server: server)
                await cluster.stop()
                return figures
            } catch {
                await cluster.stop()
                throw error
            }
        }
    }

    private func measure(_ cluster: BenchCluster, redis: RedisClient, server: FakeOpenAIServer) async throws -> Figures {
        let completed = CompletedCounter(redis: redis, keys: KeySchema(prefix: cluster.keyPrefix, shardCount: 1))
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        do {
            let gateway = GatewayClient(baseURL: cluster.gatewayURL, apiKey: nil, httpClient: http)
            func bodies(_ count: Int, _ tag: String) -> [Data] {
                (0..<count).map {
                    Data(
                        #"{"workflow_type":"parallel","tasks":[{"agent_id":"t","agent_role":"backend","input_data":{"task":"Answer \#(tag) \#($0)"},"llm_model":"gpt-4o-mini"}]}"#
                            .utf8)
                }
            }
            // Warm-up: connections open, the library loaded, the provider's connection pool started.
            let warm = 16
            _ = try await gateway.submitAll(bodies(warm, "warm"), lanes: connections)
            try await completed.waitFor(warm)
            let calls = server.requestCount

            // One-task workflows over HTTP on `connections` connections, while the worker runs.
            let work = bodies(tasks, "w4")
            let cpuBefore = try await cluster.cpu(redisNodes: [redis])
            let started = ContinuousClock.now
            if batchSize > 0 {
                _ = try await gateway.submitAll(work, batchSize: batchSize, lanes: connections)
            } else {
                _ = try await gateway.submitAll(work, lanes: connections)
            }
            try await completed.waitFor(warm + tasks)
            var figures = Figures()
            figures.wallSeconds = (ContinuousClock.now - started).seconds
            figures.cpu = try await cluster.cpu(redisNodes: [redis]) - cpuBefore
            figures.providerRequests = server.requestCount - calls
            if let pid = cluster.workers.pids.first {
                figures.peakMemoryMiB = Double(ProcessMemory.peakResidentBytes(pid: pid) ?? 0) / 1_048_576
            }
            try await http.shutdown()
            guard figures.providerRequests >= tasks else {
                throw BenchmarkError("only \(figures.providerRequests) of \(tasks) calls reached the provider")
            }
            return figures
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}

extension ProviderBenchmark.Figures {
    func report(tasks: Int, latency: Duration, connections: Int, batchSize: Int, concurrency: String) -> String {
        let submitted = batchSize > 0 ? "POST /run-graph/batch, \(batchSize) per request" : "one POST /run-graph each"
        return [
            "W4 \(tasks) one-task workflows over HTTP (\(connections) connections, \(submitted)), loopback OpenAI-format provider answering after \(Int(latency.seconds * 1000)) ms, 1 worker process (WORKER_CONCURRENCY \(concurrency)):",
            "   first submit → last completion \(String(format: "%8.3f", wallSeconds)) s    (target <= 0.35, floor \(String(format: "%.1f", latency.seconds)))",
            "   worker peak memory             \(String(format: "%8.1f", peakMemoryMiB)) MiB (VmHWM; target <= 64)",
            "   CPU in that time: worker \(String(format: "%.3f", cpu.workers)) s, gateway \(String(format: "%.3f", cpu.gateway)) s, "
                + "redis \(String(format: "%.3f", cpu.redis)) s, provider + client \(String(format: "%.3f", cpu.client)) s "
                + "(all \(String(format: "%.3f", cpu.workers + cpu.gateway + cpu.redis + cpu.client)) s on \(System.coreCount) cores)",
            "   provider requests              \(String(format: "%8d", providerRequests))",
        ].joined(separator: "\n")
    }
}

/// A loopback server answering every chat completion after a fixed delay, in OpenAI's format.
final class FakeOpenAIServer: Sendable {
    let latency: Duration
    private let count = Atomic<Int>(0)

    init(latency: Duration) { self.latency = latency }

    var requestCount: Int { count.load(ordering: .relaxed) }

    /// Serves on a kernel-chosen loopback port while `body` runs with the base URL.
    func run<Result: Sendable>(_ body: @Sendable @escaping (String) async throws -> Result) async throws -> Result {
        let router = Router()
        let latency = self.latency
        router.post("/v1/chat/completions") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            self.count.add(1, ordering: .relaxed)
            try await Task.sleep(for: latency)
            let body =
                #"{"id":"chatcmpl-bench","object":"chat.completion","created":1741570283,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Done."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        var logger = Logger(label: "fake-openai")
        // Cancelling the server at the end logs its open connections at error level; that is expected.
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), backlog: 4096),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw BenchmarkError("the fake provider did not start") }
            let result = try await body("http://127.0.0.1:\(port)")
            group.cancelAll()
            return result
        }
    }
}
