import Logging
import OrchestraAPI

extension OrchestraConfiguration {
    /// Reads the configuration from environment variables alone (tests, and processes without
    /// flags or `.env`). Unset and empty variables keep their defaults.
    ///
    /// - Throws: ``ConfigurationError`` naming the first variable with an unusable value.
    public init(environment: [String: String]) throws(ConfigurationError) {
        try self.init(settings: SettingsReader(environment: environment))
    }

    /// Reads the configuration through the process's one reader of flags, environment and `.env`.
    /// Unset and empty variables keep their defaults.
    ///
    /// - Throws: ``ConfigurationError`` naming the first variable with an unusable value.
    public init(settings reader: SettingsReader) throws(ConfigurationError) {
        self.init()
        if let value = reader.string("ORCHESTRATOR_HOST") { host = value }
        port = try reader.integer("ORCHESTRATOR_PORT", in: 0...65535) ?? port
        workers = try reader.integer("ORCHESTRATOR_WORKERS", in: 0...256) ?? workers
        if let value = reader.secret("REDIS_URL") {
            let schemes = ["redis://", "rediss://", "unix://"]
            guard schemes.contains(where: { value.lowercased().hasPrefix($0) }) else {
                throw ConfigurationError(variable: "REDIS_URL", expected: "a URL starting with redis://, rediss:// or unix://", value: nil)
            }
            redisURL = value
        }
        redisClusterNodes = reader.string("REDIS_CLUSTER_NODES")
        redisWaitReplicas = try reader.integer("REDIS_WAIT_REPLICAS", in: 0...16) ?? redisWaitReplicas
        redisWaitTimeoutMilliseconds = try reader.integer("REDIS_WAIT_TIMEOUT_MS", in: 1...60_000) ?? redisWaitTimeoutMilliseconds
        logLevel = try reader.logLevel("LOG_LEVEL") ?? logLevel
        enableDebug = try reader.bool("ENABLE_DEBUG") ?? enableDebug
        apiKey = reader.secret("API_KEY")
        if let value = reader.string("CORS_ORIGINS") {
            corsOrigins = value.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        workerConcurrency = try reader.integer("WORKER_CONCURRENCY", in: 1...10_000) ?? workerConcurrency
        taskLeaseSeconds = try reader.integer("TASK_LEASE_SECONDS", in: 1...300) ?? taskLeaseSeconds
        taskMaxAttempts = try reader.integer("TASK_MAX_ATTEMPTS", in: 1...20) ?? taskMaxAttempts
        taskTimeoutSeconds = try reader.seconds("TASK_TIMEOUT_SECONDS", upTo: 3600) ?? taskTimeoutSeconds
        workflowRetentionSeconds = try reader.integer("WORKFLOW_RETENTION_SECONDS", in: 1...Int(Int32.max)) ?? workflowRetentionSeconds
        shards = try reader.integer("ORCHESTRA_SHARDS", in: 1...1024) ?? shards
        if let value = reader.string("ORCHESTRA_KEY_PREFIX") {
            guard IdentifierSyntax.isValid(value) else {
                throw ConfigurationError(
                    variable: "ORCHESTRA_KEY_PREFIX", expected: "1 to 128 characters of A-Z a-z 0-9 . _ : -", value: value)
            }
            keyPrefix = value
        }
        echoLatencyMilliseconds = try reader.integer("ECHO_LATENCY_MS", in: 0...600_000) ?? echoLatencyMilliseconds
        defaultLLMModel = reader.string("DEFAULT_LLM_MODEL")
        agentPromptsFile = reader.string("AGENT_PROMPTS_FILE")
        maxRequestBytes = try reader.integer("MAX_REQUEST_BYTES", in: 1024...(1 << 30)) ?? maxRequestBytes
        maxTasksPerWorkflow = try reader.integer("MAX_TASKS_PER_WORKFLOW", in: 1...100_000) ?? maxTasksPerWorkflow
        maxJSONDepth = try reader.integer("MAX_JSON_DEPTH", in: 1...JSONValue.maximumDepthLimit) ?? maxJSONDepth
        eventStreamMaxLength = try reader.integer("EVENT_STREAM_MAXLEN", in: 0...1_000_000) ?? eventStreamMaxLength
        if (1..<10).contains(eventStreamMaxLength) {
            throw ConfigurationError(
                variable: "EVENT_STREAM_MAXLEN", expected: "0 (off) or an integer in 10...1000000", value: String(eventStreamMaxLength))
        }
        clusterEventsMaxLength = try reader.integer("CLUSTER_EVENTS_MAXLEN", in: 0...10_000_000) ?? clusterEventsMaxLength
        eventsHeartbeatSeconds = try reader.integer("EVENTS_HEARTBEAT_SECONDS", in: 1...60) ?? eventsHeartbeatSeconds
        if let grace = reader.string("WORKER_SHUTDOWN_GRACE_SECONDS") {
            guard let value = Double(grace), value.isFinite, (0...3600).contains(value) else {
                throw ConfigurationError(
                    variable: "WORKER_SHUTDOWN_GRACE_SECONDS", expected: "a number of seconds in 0...3600", value: grace)
            }
            workerShutdownGraceSeconds = value
        }
        if let drain = reader.string("GATEWAY_DRAIN_SECONDS") {
            guard let value = Double(drain), value.isFinite, (0...300).contains(value) else {
                throw ConfigurationError(variable: "GATEWAY_DRAIN_SECONDS", expected: "a number of seconds in 0...300", value: drain)
            }
            gatewayDrainSeconds = value
        }
        workerHeartbeatSeconds = try reader.integer("WORKER_HEARTBEAT_SECONDS", in: 1...60) ?? workerHeartbeatSeconds
        workerMetricsPort = try reader.integer("WORKER_METRICS_PORT", in: 0...65535) ?? workerMetricsPort
        metricsPublic = try reader.bool("METRICS_PUBLIC") ?? metricsPublic
        if let format = reader.string("LOG_FORMAT") {
            guard let value = LogFormat(rawValue: format.lowercased()) else {
                throw ConfigurationError(variable: "LOG_FORMAT", expected: "text or json", value: format)
            }
            logFormat = value
        }
        httpIdleTimeoutSeconds = try reader.seconds("HTTP_IDLE_TIMEOUT_SECONDS", upTo: 3600) ?? httpIdleTimeoutSeconds
        httpHeaderTimeoutSeconds = try reader.seconds("HTTP_HEADER_TIMEOUT_SECONDS", upTo: 3600) ?? httpHeaderTimeoutSeconds
        httpBodyTimeoutSeconds = try reader.seconds("HTTP_BODY_TIMEOUT_SECONDS", upTo: 3600) ?? httpBodyTimeoutSeconds
        httpMaxConnections = try reader.integer("HTTP_MAX_CONNECTIONS", in: 1...1_000_000) ?? httpMaxConnections
        dashboardDirectory = reader.string("DASHBOARD_DIR")
    }
}
