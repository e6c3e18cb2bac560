import OrchestraProviders
import OrchestraRedis

extension Runtime {
    /// The gate worker provider calls pass through: cluster-wide limits when configured.
    func makeProviderGate(redis: RedisClient) -> any ProviderCallGate {
        // Wired to the Redis-backed limiter once it lands.
        UnlimitedProviderGate()
    }
}
