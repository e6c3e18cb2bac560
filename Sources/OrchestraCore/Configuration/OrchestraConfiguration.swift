public import Logging

/// Settings shared by every process (gateway, worker, local all-in-one), built once from the
/// environment (see ``init(environment:)``). Every field has a default; the environment variable
/// that sets it is named in its documentation.
///
/// LLM provider keys and base URLs are not part of this type; the providers module reads them.
public struct OrchestraConfiguration: Sendable, Hashable {
    /// `ORCHESTRATOR_HOST`: address the gateway listens on. Default `0.0.0.0`.
    public var host: String = "0.0.0.0"
    /// `ORCHESTRATOR_PORT`: port the gateway listens on, 0...65535 (0 picks a free port). Default 8000.
    public var port: Int = 8000
    /// `ORCHESTRATOR_WORKERS`: worker processes the local all-in-one mode starts, 0...256. Default 2.
    public var workers: Int = 2
    /// `REDIS_URL`: `redis://[user:password@]host:port/db`. Default `redis://127.0.0.1:6379/0`.
    public var redisURL: String = "redis://127.0.0.1:6379/0"
    /// `LOG_LEVEL`: TRACE, DEBUG, INFO, NOTICE, WARNING, ERROR or CRITICAL, any case. Default INFO.
    public var logLevel: Logger.Level = .info
    /// `ENABLE_DEBUG`: true/false/1/0/yes/no/on/off; true lowers the log level to at least debug. Default false.
    public var enableDebug: Bool = false
    /// `API_KEY`: when set, the gateway requires this value in `X-API-Key`. Default unset (no auth).
    public var apiKey: String?
    /// `CORS_ORIGINS`: comma-separated allowed origins; empty allows none. Default empty.
    public var corsOrigins: [String] = []
    /// `WORKER_CONCURRENCY`: tasks one worker runs at once, 1...10000 (they are I/O-bound LLM calls that mostly wait on the network). Default 256.
    public var workerConcurrency: Int = 256
    /// `TASK_LEASE_SECONDS`: how long a claim lasts without renewal, 1...300. Default 10.
    public var taskLeaseSeconds: Int = 10
    /// `TASK_MAX_ATTEMPTS`: attempts per task unless the task says otherwise, 1...20. Default 3.
    public var taskMaxAttempts: Int = 3
    /// `TASK_TIMEOUT_SECONDS`: time limit of one attempt unless the task says otherwise, (0, 3600]. Default 120.
    public var taskTimeoutSeconds: Double = 120
    /// `WORKFLOW_RETENTION_SECONDS`: how long a finished workflow is kept, at least 1. Default 86400 (one day).
    public var workflowRetentionSeconds: Int = 86_400
    /// `ORCHESTRA_SHARDS`: hash tags workflows are spread over, 1...1024. Default 1.
    public var shards: Int = 1
    /// `ORCHESTRA_KEY_PREFIX`: first part of every Redis key, id syntax (`[A-Za-z0-9._:-]`, no braces).
    /// Default `orchestra`.
    public var keyPrefix: String = "orchestra"
    /// `ECHO_LATENCY_MS`: delay the echo provider adds to each answer, 0...600000. Default 0.
    public var echoLatencyMilliseconds: Int = 0
    /// `DEFAULT_LLM_MODEL`: model for tasks that name none; unset means echo unless a provider key
    /// exists (the providers module decides). Default unset.
    public var defaultLLMModel: String?
    /// `AGENT_PROMPTS_FILE`: JSON file of role system prompts (see ``AgentPrompts``). Default unset.
    public var agentPromptsFile: String?
    /// `MAX_REQUEST_BYTES`: largest request body the gateway accepts, at least 1024. Default 8 MiB.
    public var maxRequestBytes: Int = 8 * 1024 * 1024
    /// `MAX_TASKS_PER_WORKFLOW`: most tasks in one workflow, 1...100000. Default 1000.
    public var maxTasksPerWorkflow: Int = 1000
    /// `MAX_JSON_DEPTH`: deepest nesting of arrays and objects in a submitted body, 1...1000. Default 64.
    public var maxJSONDepth: Int = JSONValue.defaultMaxDepth
    /// `EVENT_STREAM_MAXLEN`: approximate cap of each workflow's event stream, 1...1000000. Default 1000.
    public var eventStreamMaxLength: Int = 1000

    /// The defaults.
    public init() {}

    /// ``logLevel``, lowered to `.debug` when ``enableDebug`` is set (`.trace` stays `.trace`).
    public var effectiveLogLevel: Logger.Level {
        enableDebug ? min(logLevel, .debug) : logLevel
    }

    /// Submission limits derived from this configuration.
    public var validationLimits: ValidationLimits {
        ValidationLimits(maxTasks: maxTasksPerWorkflow, maxJSONDepth: maxJSONDepth)
    }
}
