public import Logging
public import OrchestraCore
public import OrchestraProviders
public import OrchestraRedis
public import ServiceLifecycle

/// The stateless HTTP gateway (API.md §2): validates and submits workflows, serves their status from
/// Redis. Run it in a `ServiceGroup` after the ``RedisClient`` it uses.
public struct GatewayServer: Service {
    let configuration: OrchestraConfiguration
    let redis: RedisClient
    let providers: ProviderRegistry
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    /// Creates the gateway. `onListening` receives the bound port (useful with port 0).
    public init(
        configuration: OrchestraConfiguration,
        redis: RedisClient,
        providers: ProviderRegistry,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.redis = redis
        self.providers = providers
        self.logger = logger
        self.onListening = onListening
    }

    /// Serves HTTP until graceful shutdown.
    public func run() async throws {
        // Scaffold: the gateway issue fills this in.
        try await gracefulShutdown()
    }
}
