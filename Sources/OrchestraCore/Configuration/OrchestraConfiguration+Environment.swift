import Foundation
import Logging

extension OrchestraConfiguration {
    /// Reads the configuration from environment variables (merge a `.env` file in first with
    /// ``DotEnv``). Unset and empty variables keep their defaults.
    ///
    /// - Throws: ``ConfigurationError`` naming the first variable with an unusable value.
    public init(environment: [String: String]) throws(ConfigurationError) {
        self.init()
        let reader = EnvironmentReader(environment: environment)
        if let value = reader.string("ORCHESTRATOR_HOST") { host = value }
        port = try reader.integer("ORCHESTRATOR_PORT", in: 0...65535) ?? port
        workers = try reader.integer("ORCHESTRATOR_WORKERS", in: 0...256) ?? workers
        if let value = reader.string("REDIS_URL") {
            let schemes = ["redis://", "rediss://", "unix://"]
            guard schemes.contains(where: { value.lowercased().hasPrefix($0) }) else {
                throw ConfigurationError(variable: "REDIS_URL", expected: "a URL starting with redis://, rediss:// or unix://", value: nil)
            }
            redisURL = value
        }
        logLevel = try reader.logLevel("LOG_LEVEL") ?? logLevel
        enableDebug = try reader.bool("ENABLE_DEBUG") ?? enableDebug
        apiKey = reader.string("API_KEY")
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
                throw ConfigurationError(variable: "ORCHESTRA_KEY_PREFIX", expected: "1 to 128 characters of A-Z a-z 0-9 . _ : -", value: value)
            }
            keyPrefix = value
        }
        echoLatencyMilliseconds = try reader.integer("ECHO_LATENCY_MS", in: 0...600_000) ?? echoLatencyMilliseconds
        defaultLLMModel = reader.string("DEFAULT_LLM_MODEL")
        agentPromptsFile = reader.string("AGENT_PROMPTS_FILE")
        maxRequestBytes = try reader.integer("MAX_REQUEST_BYTES", in: 1024...(1 << 30)) ?? maxRequestBytes
        maxTasksPerWorkflow = try reader.integer("MAX_TASKS_PER_WORKFLOW", in: 1...100_000) ?? maxTasksPerWorkflow
        eventStreamMaxLength = try reader.integer("EVENT_STREAM_MAXLEN", in: 1...1_000_000) ?? eventStreamMaxLength
    }
}

/// Typed reads of environment variables; empty values count as unset.
struct EnvironmentReader {
    var environment: [String: String]

    func string(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, expected: "an integer in \(range.lowerBound)...\(range.upperBound)", value: text)
        }
        return value
    }

    func seconds(_ name: String, upTo limit: Double) throws(ConfigurationError) -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite, value > 0, value <= limit else {
            throw ConfigurationError(variable: name, expected: "a number of seconds greater than 0 and at most \(Int(limit))", value: text)
        }
        return value
    }

    func bool(_ name: String) throws(ConfigurationError) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ConfigurationError(variable: name, expected: "true, false, 1, 0, yes or no", value: text)
        }
    }

    func logLevel(_ name: String) throws(ConfigurationError) -> Logger.Level? {
        guard let text = string(name) else { return nil }
        switch text.uppercased() {
        case "TRACE": return .trace
        case "DEBUG": return .debug
        case "INFO": return .info
        case "NOTICE": return .notice
        case "WARNING", "WARN": return .warning
        case "ERROR": return .error
        case "CRITICAL", "FATAL": return .critical
        default: throw ConfigurationError(variable: name, expected: "one of TRACE, DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL", value: text)
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}

extension OrchestraConfiguration {
    /// The configuration of this process: its environment merged over the `.env` file at
    /// `dotEnvPath` (skipped when `nil` or absent), as the seed service read it.
    ///
    /// - Throws: ``DotEnvError`` for a malformed `.env`, ``ConfigurationError`` for a bad value.
    public static func fromProcessEnvironment(dotEnvPath: String? = ".env") throws -> OrchestraConfiguration {
        let environment = try dotEnvPath.map { path throws(DotEnvError) in try DotEnv.environment(dotEnvPath: path) }
        return try OrchestraConfiguration(environment: environment ?? ProcessInfo.processInfo.environment)
    }
}
