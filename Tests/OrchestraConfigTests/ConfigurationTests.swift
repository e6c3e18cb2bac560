import Logging
import OrchestraAPI
import OrchestraConfig
import Testing

@Suite struct ConfigurationTests {
    @Test func defaults() throws {
        let configuration = try OrchestraConfiguration(environment: [:])
        #expect(configuration == OrchestraConfiguration())
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 8000)
        #expect(configuration.workers == 2)
        #expect(configuration.redisURL == "redis://127.0.0.1:6379/0")
        #expect(configuration.logLevel == .info)
        #expect(configuration.effectiveLogLevel == .info)
        #expect(configuration.apiKey == nil)
        #expect(configuration.corsOrigins == [])
        #expect(configuration.workerConcurrency == 1024)
        #expect(configuration.taskLeaseSeconds == 10)
        #expect(configuration.taskMaxAttempts == 3)
        #expect(configuration.taskTimeoutSeconds == 120)
        #expect(configuration.workflowRetentionSeconds == 86_400)
        #expect(configuration.shards == 1)
        #expect(configuration.keyPrefix == "orchestra")
        #expect(configuration.echoLatencyMilliseconds == 0)
        #expect(configuration.defaultLLMModel == nil)
        #expect(configuration.agentPromptsFile == nil)
        #expect(configuration.maxRequestBytes == 8 * 1024 * 1024)
        #expect(configuration.maxTasksPerWorkflow == 1000)
        #expect(configuration.maxJSONDepth == 64)
        #expect(configuration.validationLimits.maxJSONDepth == 64)
        #expect(configuration.eventStreamMaxLength == 10_000)
        #expect(configuration.clusterEventsMaxLength == 100_000)
        #expect(configuration.redisWaitReplicas == 0)
        #expect(configuration.redisWaitTimeoutMilliseconds == 1000)
    }

    @Test func readsEveryVariable() throws {
        let configuration = try OrchestraConfiguration(environment: [
            "ORCHESTRATOR_HOST": "127.0.0.1", "ORCHESTRATOR_PORT": "9001", "ORCHESTRATOR_WORKERS": "4",
            "REDIS_URL": "redis://:secret@redis:6380/2", "LOG_LEVEL": "warning", "ENABLE_DEBUG": "no", "API_KEY": "k-123",
            "CORS_ORIGINS": " http://localhost:3000, https://app.example ,", "WORKER_CONCURRENCY": "128", "TASK_LEASE_SECONDS": "30",
            "TASK_MAX_ATTEMPTS": "5", "TASK_TIMEOUT_SECONDS": "2.5", "WORKFLOW_RETENTION_SECONDS": "60", "ORCHESTRA_SHARDS": "16",
            "ORCHESTRA_KEY_PREFIX": "test:run1", "ECHO_LATENCY_MS": "25", "DEFAULT_LLM_MODEL": "gpt-4o-mini",
            "AGENT_PROMPTS_FILE": "/etc/prompts.json", "MAX_REQUEST_BYTES": "65536", "MAX_TASKS_PER_WORKFLOW": "50",
            "EVENT_STREAM_MAXLEN": "77", "MAX_JSON_DEPTH": "200", "REDIS_WAIT_REPLICAS": "1", "REDIS_WAIT_TIMEOUT_MS": "250",
        ])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 9001)
        #expect(configuration.workers == 4)
        #expect(configuration.redisURL == "redis://:secret@redis:6380/2")
        #expect(configuration.logLevel == .warning)
        #expect(configuration.enableDebug == false)
        #expect(configuration.apiKey == "k-123")
        #expect(configuration.corsOrigins == ["http://localhost:3000", "https://app.example"])
        #expect(configuration.workerConcurrency == 128)
        #expect(configuration.taskLeaseSeconds == 30)
        #expect(configuration.taskMaxAttempts == 5)
        #expect(configuration.taskTimeoutSeconds == 2.5)
        #expect(configuration.workflowRetentionSeconds == 60)
        #expect(configuration.shards == 16)
        #expect(configuration.keyPrefix == "test:run1")
        #expect(configuration.echoLatencyMilliseconds == 25)
        #expect(configuration.defaultLLMModel == "gpt-4o-mini")
        #expect(configuration.agentPromptsFile == "/etc/prompts.json")
        #expect(configuration.maxRequestBytes == 65_536)
        #expect(configuration.maxTasksPerWorkflow == 50)
        #expect(configuration.validationLimits.maxTasks == 50)
        #expect(configuration.maxJSONDepth == 200)
        #expect(configuration.validationLimits.maxJSONDepth == 200)
        #expect(configuration.eventStreamMaxLength == 77)
        #expect(configuration.redisWaitReplicas == 1)
        #expect(configuration.redisWaitTimeoutMilliseconds == 250)
    }

    @Test(arguments: [
        ("trace", Logger.Level.trace), ("DEBUG", .debug), ("Info", .info), ("WARNING", .warning), ("warn", .warning),
        ("error", .error), ("CRITICAL", .critical),
    ])
    func logLevels(text: String, level: Logger.Level) throws {
        #expect(try OrchestraConfiguration(environment: ["LOG_LEVEL": text]).logLevel == level)
    }

    @Test func enableDebugForcesDebugLevel() throws {
        #expect(try OrchestraConfiguration(environment: ["LOG_LEVEL": "ERROR", "ENABLE_DEBUG": "TRUE"]).effectiveLogLevel == .debug)
        #expect(try OrchestraConfiguration(environment: ["LOG_LEVEL": "TRACE", "ENABLE_DEBUG": "1"]).effectiveLogLevel == .trace)
        #expect(try OrchestraConfiguration(environment: ["LOG_LEVEL": "ERROR", "ENABLE_DEBUG": "yes"]).enableDebug)
        #expect(try OrchestraConfiguration(environment: ["LOG_LEVEL": "ERROR", "ENABLE_DEBUG": "0"]).effectiveLogLevel == .error)
    }

    @Test func emptyValuesKeepDefaults() throws {
        let configuration = try OrchestraConfiguration(environment: ["ORCHESTRATOR_PORT": "", "API_KEY": "  ", "DEFAULT_LLM_MODEL": ""])
        #expect(configuration.port == 8000)
        #expect(configuration.apiKey == nil)
        #expect(configuration.defaultLLMModel == nil)
    }

    @Test(arguments: [
        ("ORCHESTRATOR_PORT", "abc", "invalid ORCHESTRATOR_PORT: expected an integer in 0...65535, got 'abc'"),
        ("ORCHESTRATOR_PORT", "70000", "invalid ORCHESTRATOR_PORT: expected an integer in 0...65535, got '70000'"),
        ("TASK_LEASE_SECONDS", "0", "invalid TASK_LEASE_SECONDS: expected an integer in 1...300, got '0'"),
        ("TASK_LEASE_SECONDS", "301", "invalid TASK_LEASE_SECONDS: expected an integer in 1...300, got '301'"),
        ("ORCHESTRA_SHARDS", "1025", "invalid ORCHESTRA_SHARDS: expected an integer in 1...1024, got '1025'"),
        ("MAX_JSON_DEPTH", "0", "invalid MAX_JSON_DEPTH: expected an integer in 1...1000, got '0'"),
        ("REDIS_WAIT_REPLICAS", "17", "invalid REDIS_WAIT_REPLICAS: expected an integer in 0...16, got '17'"),
        ("REDIS_WAIT_TIMEOUT_MS", "0", "invalid REDIS_WAIT_TIMEOUT_MS: expected an integer in 1...60000, got '0'"),
        ("MAX_JSON_DEPTH", "1001", "invalid MAX_JSON_DEPTH: expected an integer in 1...1000, got '1001'"),
        ("ENABLE_DEBUG", "maybe", "invalid ENABLE_DEBUG: expected true, false, 1, 0, yes or no, got 'maybe'"),
        ("LOG_LEVEL", "LOUD", "invalid LOG_LEVEL: expected one of TRACE, DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, got 'LOUD'"),
        (
            "TASK_TIMEOUT_SECONDS", "-1",
            "invalid TASK_TIMEOUT_SECONDS: expected a number of seconds greater than 0 and at most 3600, got '-1'"
        ),
        ("ORCHESTRA_KEY_PREFIX", "a{b}", "invalid ORCHESTRA_KEY_PREFIX: expected 1 to 128 characters of A-Z a-z 0-9 . _ : -, got 'a{b}'"),
        ("REDIS_URL", "http://user:hunter2@host", "invalid REDIS_URL: expected a URL starting with redis://, rediss:// or unix://"),
    ])
    func badValuesNameTheVariable(variable: String, value: String, message: String) {
        let error = #expect(throws: ConfigurationError.self) { try OrchestraConfiguration(environment: [variable: value]) }
        #expect(error?.variable == variable)
        #expect(error?.description == message)
        #expect(error?.description.contains("hunter2") == false)
    }
}

@Suite("Configuration never prints its secrets")
struct ConfigurationRedactionTests {
    @Test func descriptionsReflectionAndDumpRedactTheAPIKeyAndTheRedisPassword() throws {
        let configuration = try OrchestraConfiguration(environment: [
            "API_KEY": "key-secret-123", "REDIS_URL": "redis://orchestra:pw-secret-456@redis.internal:6380/2",
        ])
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), "\(configuration)", dumped] {
            #expect(!text.contains("key-secret-123"), "\(text)")
            #expect(!text.contains("pw-secret-456"), "\(text)")
        }
        #expect(String(describing: configuration).contains("redis://orchestra:***@redis.internal:6380/2"))
        #expect(OrchestraConfiguration.redacted("redis://:p@h:1") == "redis://:***@h:1")
        #expect(OrchestraConfiguration.redacted("redis://h:1/0") == "redis://h:1/0")
    }
}
