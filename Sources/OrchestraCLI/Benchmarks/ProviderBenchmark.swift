import Foundation
import Hummingbird
import Logging
import NIOCore
import OrchestraRedis
import OrchestraScheduler
import Synchronization

/// W4: `tasks` tasks, each calling a loopback server in OpenAI's chat-completions format that
/// answers after `providerLatency`, on one worker process: wall time and the worker's peak memory.
struct ProviderBenchmark {
    var redisURL: String
    var tasks = 1000
    var providerLatency: Duration = .milliseconds(200)
    var workerConcurrency: Int?
    var logger: Logger

    struct Figures {
        var wallSeconds = 0.0
        var peakMemoryMiB = 0.0
        var providerRequests = 0
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
        let keys = KeySchema(prefix: cluster.keyPrefix, shardCount: 1)
        let store = WorkflowStore(redis: redis, settings: SchedulerSettings(keys: keys))
        try await Task.sleep(for: .milliseconds(500))
        cluster.workers.signalAll(SIGSTOP)
        // Ten parallel workflows of tasks/10 tasks each, queued while the worker is paused.
        let perWorkflow = max(1, tasks / 10)
        for workflow in 0..<(tasks / perWorkflow) {
            let submissions = (0..<perWorkflow).map { index in
                TaskSubmission(
                    agentID: "t\(index)", role: "backend", inputJSON: #"{"task":"Answer \#(workflow).\#(index)"}"#,
                    settings: TaskSettings(llmModel: "gpt-4o-mini"), dependencies: [], dependents: [], dependsOnJSON: "[]", maxAttempts: 3)
            }
            _ = try await store.submit(
                WorkflowSubmission(
                    id: "w4-\(workflow)", type: "parallel", metadataJSON: "{}", tasks: submissions))
        }
        let total = (tasks / perWorkflow) * perWorkflow
        let started = ContinuousClock.now
        cluster.workers.signalAll(SIGCONT)
        let doneKey = keys.shard(0).state("completed")
        while Int(try await redis.send("ZCARD", RedisArgument(doneKey)).int ?? 0) < tasks / perWorkflow {
            try await Task.sleep(for: .milliseconds(5))
        }
        var figures = Figures()
        figures.wallSeconds = (ContinuousClock.now - started).seconds
        figures.providerRequests = server.requestCount
        if let pid = cluster.workers.pids.first { figures.peakMemoryMiB = Self.peakResidentMiB(pid: pid) }
        guard figures.providerRequests >= total else {
            throw BenchmarkError("only \(figures.providerRequests) of \(total) calls reached the provider")
        }
        return figures
    }

    /// `VmHWM` (peak resident set) of process `pid`, from /proc.
    static func peakResidentMiB(pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kibibytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kibibytes / 1024
    }
}

extension ProviderBenchmark.Figures {
    func report(tasks: Int, latency: Duration) -> String {
        [
            "W4 \(tasks) tasks, loopback OpenAI-format provider answering after \(Int(latency.seconds * 1000)) ms, 1 worker process:",
            "   wall time            \(String(format: "%8.3f", wallSeconds)) s    (target <= 1.5, floor \(String(format: "%.1f", latency.seconds)))",
            "   worker peak memory   \(String(format: "%8.1f", peakMemoryMiB)) MiB (VmHWM)",
            "   provider requests    \(String(format: "%8d", providerRequests))",
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
