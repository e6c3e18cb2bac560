import OrchestraAPI
import OrchestraConfig
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler

extension Runtime {
    /// The gate a worker's provider calls pass through: cluster-wide limits from
    /// `PROVIDER_MAX_CONCURRENCY[_<NAME>]` / `PROVIDER_RPM[_<NAME>]` on the built-in providers,
    /// enforced through Redis so all workers together stay within them (providers without limits
    /// never touch Redis).
    func makeProviderGate(redis: RedisClient) -> any ProviderCallGate {
        ProviderLimiter(redis: redis, keyPrefix: configuration.keyPrefix, limits: providerConfiguration.limitsByProvider, logger: logger)
    }
}
