import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import OrchestraClient
import OrchestraConfig
import OrchestraProviders
import OrchestraRedis
import Synchronization

/// Everything a server process builds once from its environment, `.env` and flags: the shared
/// configuration, the provider settings, the logger, and the Redis client.
struct Runtime {
    /// The same settings as one environment, for the child processes `orchestra local` starts.
    let environment: [String: String]
    let configuration: OrchestraConfiguration
    let providerConfiguration: ProviderConfiguration
    let logger: Logger

    /// Reads `overrides` (from flags) over the process environment over `.env` at `envFile`,
    /// through one ``SettingsReader``.
    init(envFile: String, overrides: [String: String], label: String) throws {
        ParentDeath.armIfRequested()
        let process = ProcessInfo.processInfo.environment
        let dotEnv = try DotEnv.loadIfPresent(path: envFile)
        let settings = SettingsReader(flags: overrides, environment: process, dotEnv: dotEnv)
        self.environment = DotEnv.merge(processEnvironment: process, dotEnv: dotEnv).merging(overrides) { _, flag in flag }
        self.configuration = try OrchestraConfiguration(settings: settings)
        self.providerConfiguration = try ProviderConfiguration(settings: settings)
        let level = configuration.effectiveLogLevel
        Self.bootstrapLogging(format: configuration.logFormat)
        var logger = Logger(label: label)
        logger.logLevel = level
        self.logger = logger
    }

    private static let loggingBootstrapped = Mutex(false)

    /// Log to standard error in `format`, once per process (the first runtime's format wins).
    private static func bootstrapLogging(format: OrchestraConfiguration.LogFormat) {
        loggingBootstrapped.withLock { done in
            guard !done else { return }
            done = true
            switch format {
            case .text: LoggingSystem.bootstrap { TextLogHandler(label: $0) }
            case .json: LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
            }
        }
    }

    /// A Redis client for `REDIS_URL` (not yet running: add it to the service group first).
    func makeRedisClient(connections: Int? = nil, name: String) throws -> RedisClient {
        var redis = try RedisConfiguration(url: configuration.redisURL, clusterNodes: configuration.redisClusterNodes)
        if let connections { redis.multiplexedConnections = connections }
        redis.clientName = name
        var logger = self.logger
        logger[metadataKey: "component"] = "redis"
        return RedisClient(configuration: redis, logger: logger)
    }

    /// The HTTP client all providers of this process share. Redirects are refused: a provider
    /// answering with one is misconfigured, and following it could leak the key to another host.
    static func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(10)
        // AsyncHTTPClient keeps 8 connections per host by default; a worker runs hundreds of calls
        // to one provider host at once, and the cluster-wide limiter (not this pool) bounds them.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1024)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs `body` with a fresh ``makeHTTPClient()`` and shuts the client down afterwards, also on error.
    static func withHTTPClient<Result>(_ body: (HTTPClient) async throws -> Result) async throws -> Result {
        let client = makeHTTPClient()
        let result: Result
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }

    /// Which models the configuration enables (echo always): what a gateway checks submissions against.
    func makeModelCatalog() throws -> ModelCatalog {
        let catalog = try ModelCatalog(configuration: providerConfiguration)
        logger.info("\(catalog.defaultModelSummary)", metadata: ["providers": "\(catalog.configuredProviders.joined(separator: ", "))"])
        return catalog
    }

    /// The providers the configuration enables (echo always), sharing `httpClient`.
    func makeProviders(httpClient: HTTPClient) throws -> ProviderRegistry {
        let registry = try ProviderRegistry(configuration: providerConfiguration, httpClient: httpClient)
        logger.info(
            "\(registry.defaultModelSummary)", metadata: ["providers": "\(registry.configuredProviders.joined(separator: ", "))"])
        return registry
    }
}
