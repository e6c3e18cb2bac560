public import Logging
public import OrchestraCore
public import OrchestraProviders
public import OrchestraRedis
public import ServiceLifecycle

/// A worker process's task loop: claims ready tasks from Redis, runs them against the providers,
/// and writes results back. Run it in a `ServiceGroup` after the ``RedisClient`` it uses.
public final class WorkerService: Service {
    let configuration: OrchestraConfiguration
    let redis: RedisClient
    let providers: ProviderRegistry
    let gate: any ProviderCallGate
    let logger: Logger

    /// Creates a worker; `gate` admits provider calls (cluster-wide limits).
    public init(
        configuration: OrchestraConfiguration,
        redis: RedisClient,
        providers: ProviderRegistry,
        gate: any ProviderCallGate = UnlimitedProviderGate(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.redis = redis
        self.providers = providers
        self.gate = gate
        self.logger = logger
    }

    /// Runs until graceful shutdown.
    public func run() async throws {
        // Scaffold: the worker issue fills this in.
        try await gracefulShutdown()
    }
}
