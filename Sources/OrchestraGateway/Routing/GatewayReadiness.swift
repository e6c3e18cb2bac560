import Logging
import OrchestraRedis
import OrchestraScheduler
import ServiceLifecycle
import Synchronization

/// Whether this gateway may serve workflows yet: not until it has checked the layout recorded in
/// Redis (shard count, key schema) and loaded the scheduling library — which waits for Redis if
/// it is down at start. Until then, workflow routes answer 503.
final class GatewayReadiness: Sendable {
    private let prepared = Atomic<Bool>(false)
    private let draining = Atomic<Bool>(false)

    /// Whether the layout was checked.
    var isPrepared: Bool { prepared.load(ordering: .acquiring) }

    /// Whether graceful shutdown began: `/ready` answers 503 so load balancers stop sending,
    /// while requests are still served until the drain period ends.
    var isDraining: Bool { draining.load(ordering: .acquiring) }

    func markPrepared() { prepared.store(true, ordering: .releasing) }

    func startDraining() { draining.store(true, ordering: .releasing) }
}

/// Checks the layout at start (``ClusterMeta/prepare(_:on:logger:)``), then idles until graceful
/// shutdown. A layout mismatch throws, which stops the gateway: it must not serve data laid out
/// for another shard count.
struct LayoutCheck: Service {
    let keys: KeySchema
    let redis: RedisClient
    let readiness: GatewayReadiness
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await ClusterMeta.prepare(keys, on: redis, logger: logger)
        }
        if !Task.isCancelled { readiness.markPrepared() }
        try? await gracefulShutdown()
    }
}

extension LayoutCheck: CustomStringConvertible {
    /// A short name for logs (ServiceLifecycle logs every service it starts): never its
    /// configuration, which holds secrets.
    var description: String { "LayoutCheck" }
}
