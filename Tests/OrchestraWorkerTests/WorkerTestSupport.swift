import AsyncHTTPClient
import Foundation
import Logging
import OrchestraAPI
import OrchestraConfig
import OrchestraProviderTestSupport
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Testing

@testable import OrchestraWorker

/// A worker test's world: a real redis-server under a key prefix of its own, a store to submit
/// and read workflows, and workers built on the same configuration.
struct WorkerFixture: Sendable {
    let redis: RedisClient
    let configuration: OrchestraConfiguration
    let store: WorkflowStore

    init(concurrency: Int = 8, leaseSeconds: Int = 10, timeoutSeconds: Double = 5, shards: Int = 1, redisURL: String? = nil) throws {
        redis = try redisURL.map { RedisClient(configuration: try RedisConfiguration(url: $0)) } ?? TestRedis.client()
        var configuration = OrchestraConfiguration()
        configuration.keyPrefix = String(TestRedis.uniquePrefix("worker").dropLast())
        configuration.workerConcurrency = concurrency
        configuration.taskLeaseSeconds = leaseSeconds
        configuration.taskTimeoutSeconds = timeoutSeconds
        configuration.workflowRetentionSeconds = 600
        configuration.shards = shards
        self.configuration = configuration
        store = WorkflowStore(redis: redis, settings: configuration.schedulerSettings)
    }

    /// The key schema in use.
    var keys: KeySchema { store.keys }

    /// The same Redis and prefix with another configuration.
    init(copying other: WorkerFixture, configuration: OrchestraConfiguration) {
        self.redis = other.redis
        self.configuration = configuration
        self.store = other.store
    }

    /// Short loop intervals so tests do not wait on production timings.
    static let fastTuning: WorkerTuning = {
        var tuning = WorkerTuning()
        tuning.reaperInterval = .milliseconds(100)
        tuning.claimBlock = .seconds(1)
        return tuning
    }()

    /// A retry policy with short backoffs.
    static let fastRetries = RetryPolicy(baseDelay: .milliseconds(40), maximumDelay: .milliseconds(200))

    func worker(
        providers: ProviderRegistry? = nil,
        id: String? = nil,
        concurrency: Int? = nil,
        grace: Double = 10,
        tuning: WorkerTuning = WorkerFixture.fastTuning,
        retryPolicy: RetryPolicy = WorkerFixture.fastRetries
    ) throws -> WorkerService {
        var configuration = self.configuration
        if let concurrency { configuration.workerConcurrency = concurrency }
        var logger = Logger(label: "test.worker")
        logger.logLevel = .critical
        return WorkerService(
            configuration: configuration,
            redis: redis,
            providers: try providers ?? ProviderRegistry(providers: []),
            logger: logger,
            workerID: id,
            workerShutdownGraceSeconds: grace,
            retryPolicy: retryPolicy,
            tuning: tuning
        )
    }

    /// A scheduler queue of this fixture (to play a worker by hand).
    func queue(worker: String, leaseSeconds: Int = 10) -> TaskQueue {
        TaskQueue(redis: redis, settings: store.settings, workerID: worker, leaseDuration: .seconds(leaseSeconds))
    }

    /// Submits `tasks` as the gateway would (plan, options, attempts) and returns the id.
    @discardableResult
    func submit(_ type: WorkflowType, _ tasks: [AgentTask], id: String = "wf-" + UUID().uuidString.prefix(8).lowercased()) async throws
        -> String
    {
        let request = WorkflowRequest(workflowId: id, workflowType: type, tasks: tasks)
        let submission = WorkflowSubmission(
            request: request, plan: WorkflowPlan(request: request, workflowId: id), defaultMaxAttempts: configuration.taskMaxAttempts)
        #expect(try await store.submit(submission) != .alreadyExists)
        return id
    }

    /// Polls the workflow until `condition` holds; fails the test after `timeout`.
    @discardableResult
    func waitUntil(
        _ id: String,
        timeout: Duration = .seconds(15),
        sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: (StoredWorkflow?) -> Bool
    ) async throws -> StoredWorkflow? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let workflow = try await store.workflow(id)
            if condition(workflow) { return workflow }
            if ContinuousClock.now > deadline {
                Issue.record(
                    "workflow \(id) did not reach the expected state: \(String(describing: workflow))", sourceLocation: sourceLocation)
                return workflow
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for the workflow's terminal status.
    func waitForEnd(_ id: String, timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> StoredWorkflow
    {
        let workflow = try await waitUntil(id, timeout: timeout, sourceLocation: sourceLocation) {
            ["completed", "failed", "partial"].contains($0?.status ?? "")
        }
        return try #require(workflow, sourceLocation: sourceLocation)
    }

    /// Runs the workers while `body` runs, then cancels them.
    func with<Result: Sendable>(_ workers: [WorkerService], _ body: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in workers { group.addTask { try await worker.run() } }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Every key under this fixture's prefix.
    func keyNames() async throws -> [String] {
        try await redis.send("KEYS", RedisArgument(keys.prefix + ":*")).decodeArray().map { try $0.decodeString() }.sorted()
    }

    func taskField(_ id: String, _ index: Int, _ field: TaskField) async throws -> String? {
        try await redis.send("HGET", RedisArgument(keys.workflow(id).tasks), RedisArgument(field.key(index))).decodeOptionalString()
    }
}

/// Providers for tests: an OpenAI provider pointed at a loopback server, as the default model.
func loopbackProviders(_ baseURL: String) throws -> ProviderRegistry {
    try ProviderRegistry(
        providers: [OpenAIProvider(baseURL: baseURL + "/v1", apiKey: APIKey("sk-test-key"), httpClient: .shared)],
        defaultModel: "openai/gpt-4o-mini"
    )
}

/// An OpenAI chat completion whose answer is `content`.
func openAIAnswer(_ content: String, promptTokens: Int = 11, completionTokens: Int = 7) -> String {
    let escaped = JSONValue.string(content).compactJSONString
    return """
        {"id":"chatcmpl-x","object":"chat.completion","created":1741570283,"model":"gpt-4o-mini",\
        "choices":[{"index":0,"message":{"role":"assistant","content":\(escaped)},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":\(promptTokens),"completion_tokens":\(completionTokens),"total_tokens":\(promptTokens + completionTokens)}}
        """
}

/// A task with `instruction` as `input_data.task`.
func agent(
    _ id: String,
    role: String = "backend",
    _ instruction: String,
    dependsOn: [String] = [],
    timeout: Double? = nil,
    maxAttempts: Int? = nil
) -> AgentTask {
    AgentTask(
        agentId: id, agentRole: role, inputData: ["task": .string(instruction)], dependsOn: dependsOn,
        options: TaskOptions(timeoutSeconds: timeout), maxAttempts: maxAttempts)
}

extension RecordedRequest {
    /// The user message's text.
    var userPrompt: String? { messages.first { $0["role"] as? String == "user" }?["content"] as? String }
    /// The system message's text.
    var systemPrompt: String? { messages.first { $0["role"] as? String == "system" }?["content"] as? String }
}

extension StoredTask {
    /// The answer text of a completed task.
    var output: String? { state == "completed" ? answer?.output : nil }
}
