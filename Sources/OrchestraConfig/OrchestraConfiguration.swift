public import Logging
public import OrchestraAPI

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
    /// `REDIS_CLUSTER_NODES`: `host:port,host:port,…` seed nodes of a Redis Cluster; set, it turns
    /// cluster mode on (credentials still come from `REDIS_URL`). Default unset: one Redis.
    public var redisClusterNodes: String?
    /// `REDIS_WAIT_REPLICAS`: replicas that must confirm a submission (`WAIT` after the submit
    /// write) before the gateway accepts it, 0...16, so a master's crash cannot lose an accepted
    /// workflow. Default 0: no wait (Redis replicates asynchronously).
    public var redisWaitReplicas: Int = 0
    /// `REDIS_WAIT_TIMEOUT_MS`: how long a submission waits for those replicas, 1...60000; fewer by
    /// then and the gateway answers 503. Default 1000.
    public var redisWaitTimeoutMilliseconds: Int = 1000
    /// `LOG_LEVEL`: TRACE, DEBUG, INFO, NOTICE, WARNING, ERROR or CRITICAL, any case. Default INFO.
    public var logLevel: Logger.Level = .info
    /// `ENABLE_DEBUG`: true/false/1/0/yes/no/on/off; true lowers the log level to at least debug. Default false.
    public var enableDebug: Bool = false
    /// `API_KEY`: when set, the gateway requires this value in `X-API-Key`. Default unset (no auth).
    public var apiKey: String?
    /// `CORS_ORIGINS`: comma-separated allowed origins; empty allows none. Default empty.
    public var corsOrigins: [String] = []
    /// `WORKER_CONCURRENCY`: tasks one worker runs at once, 1...10000 (they are I/O-bound LLM calls that mostly wait on the network;
    /// a waiting call costs memory, not CPU). Default 1024: a thousand 200 ms calls in one wave, in under 64 MiB
    /// (`orchestra-bench providers`). Cluster-wide provider limits are `PROVIDER_MAX_CONCURRENCY`'s job, not this one's.
    public var workerConcurrency: Int = 1024
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
    /// `EVENT_STREAM_MAXLEN`: the most events each workflow's stream keeps (token events count), 10...1000000;
    /// 0 turns workflow event streams and token events off (the event endpoints then answer 501). Default 10000.
    public var eventStreamMaxLength: Int = 10_000
    /// `CLUSTER_EVENTS_MAXLEN`: about how many lifecycle events each shard's cluster-wide stream keeps
    /// (`GET /events`), 0...10000000; 0 turns it off. Default 100000.
    public var clusterEventsMaxLength: Int = 100_000

    /// `EVENTS_HEARTBEAT_SECONDS`: the longest silence on a live event stream before a heartbeat
    /// comment, 1...60. Default 15.
    public var eventsHeartbeatSeconds: Int = 15
    /// `HTTP_IDLE_TIMEOUT_SECONDS`: how long the gateway keeps a connection open with no request in
    /// progress after a response, (0, 3600]. Default 60.
    public var httpIdleTimeoutSeconds: Double = 60
    /// `HTTP_HEADER_TIMEOUT_SECONDS`: time a client has to send a complete request head, counted
    /// from its first byte (from the accept for a new connection), (0, 3600]. Default 10.
    public var httpHeaderTimeoutSeconds: Double = 10
    /// `HTTP_BODY_TIMEOUT_SECONDS`: time a client has to send a complete request body, counted from
    /// the end of its head, (0, 3600]. Default 30.
    public var httpBodyTimeoutSeconds: Double = 30
    /// `HTTP_MAX_CONNECTIONS`: open connections one gateway serves at once; connections beyond it
    /// are closed as soon as they are accepted, 1...1000000. Default 4096.
    public var httpMaxConnections: Int = 4096
    /// `DASHBOARD_DIR`: for developing the dashboard, a directory the gateway serves `GET /dashboard`'s
    /// files from, read on every request, instead of the copy compiled into the binary. Default unset.
    public var dashboardDirectory: String?

    /// `WORKER_SHUTDOWN_GRACE_SECONDS`: after SIGTERM, how long a worker lets running tasks finish
    /// before it hands the rest back (without spending their attempts), 0...3600. Default 10.
    public var workerShutdownGraceSeconds: Double = 10
    /// `WORKER_HEARTBEAT_SECONDS`: how often a worker reports itself to the registry; its report
    /// expires after three heartbeats (a killed worker leaves `GET /workers` within that), 1...60.
    /// Default 5.
    public var workerHeartbeatSeconds: Int = 5
    /// `WORKER_METRICS_PORT`: the worker's probe and metrics listener (`/health`, `/ready`,
    /// `/metrics`), 0 turns it off. Default 9464.
    public var workerMetricsPort: Int = 9464
    /// `GATEWAY_DRAIN_SECONDS`: after SIGTERM, how long a gateway keeps serving while its `/ready`
    /// answers 503 (so load balancers stop sending) before it stops accepting, 0...300. Default 3.
    public var gatewayDrainSeconds: Double = 3
    /// `METRICS_PUBLIC`: the gateway's `/metrics` needs no `X-API-Key` even when `API_KEY` is set.
    /// Default false.
    public var metricsPublic: Bool = false
    /// `LOG_FORMAT`: `text` (one readable line per entry) or `json` (one JSON object per line:
    /// level, time, label, message, metadata). Default text.
    public var logFormat: LogFormat = .text

    /// The log output formats.
    public enum LogFormat: String, Sendable, Hashable, CaseIterable {
        /// Readable lines.
        case text
        /// One JSON object per line.
        case json
    }

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

extension OrchestraConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The settings without their secrets: `API_KEY` shows as set or unset, and the password of
    /// `REDIS_URL` as `***` — so a configuration that ends up in a log line (ServiceLifecycle logs
    /// the services it starts, at debug level) or an error never carries them.
    public var description: String {
        "OrchestraConfiguration(host: \(host), port: \(port), redis: \(Self.redacted(redisURL)), "
            + "api_key: \(apiKey == nil ? "unset" : "set"), shards: \(shards), key_prefix: \(keyPrefix), "
            + "worker_concurrency: \(workerConcurrency), lease_s: \(taskLeaseSeconds))"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// What `dump` and reflection show: every field, secrets redacted.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "workers": workers, "redisURL": Self.redacted(redisURL), "logLevel": logLevel,
                "enableDebug": enableDebug, "apiKey": apiKey == nil ? "unset" : "[redacted]", "corsOrigins": corsOrigins,
                "workerConcurrency": workerConcurrency, "taskLeaseSeconds": taskLeaseSeconds, "taskMaxAttempts": taskMaxAttempts,
                "taskTimeoutSeconds": taskTimeoutSeconds, "workflowRetentionSeconds": workflowRetentionSeconds, "shards": shards,
                "keyPrefix": keyPrefix, "maxRequestBytes": maxRequestBytes, "maxTasksPerWorkflow": maxTasksPerWorkflow,
            ])
    }

    /// `redis://user:***@host:port/db` for a URL with a password; other URLs as they are.
    public static func redacted(_ url: String) -> String {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://"), let at = url.lastIndex(of: "@") else { return url }
        let start = url.index(colon, offsetBy: 3)
        guard at > start else { return url }
        let user = url[start..<at].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(url[..<start]) + user + ":***" + String(url[at...])
    }
}
