import OrchestraCore
import OrchestraProviders
import OrchestraRedis

extension Runtime {
    /// The gate a worker's provider calls pass through: cluster-wide limits from
    /// `PROVIDER_MAX_CONCURRENCY_<NAME>` / `PROVIDER_RPM_<NAME>`, enforced through Redis so all
    /// workers together stay within them (providers without limits never touch Redis).
    func makeProviderGate(redis: RedisClient) -> any ProviderCallGate {
        ProviderLimiter(redis: redis, keyPrefix: configuration.keyPrefix, configuration: providerConfiguration, logger: logger)
    }
}
