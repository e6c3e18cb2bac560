import Hummingbird
import Logging
import OrchestraAPI
import OrchestraRedis
import OrchestraScheduler

/// `GET /` (service banner), `GET /health` (Redis reachable, active workflows) and
/// `GET /queues` (queue depths per shard; an addition).
struct ServiceRoutes {
    /// The banner's `service` value, as Phase 2 answered.
    static let serviceName = "AI Orchestra - Orchestration Service"

    let services: GatewayServices

    func add(to routes: RouteTable<GatewayRequestContext>) {
        routes.on("/", .get) { _, _ in try root() }
        routes.on("/health", .get) { _, _ in try await health() }
        routes.on("/ready", .get) { _, _ in try ready() }
        routes.on("/queues", .get) { _, _ in try await queues() }
    }

    func root() throws -> Response {
        try JSONResponse.make(encoding: ServiceBanner(service: Self.serviceName, version: GatewayServer.version))
    }

    /// 200 `{"status": "healthy", ...}`, or 503 `{"status": "unhealthy", ..., "detail": ...}` when
    /// Redis fails (within the Redis client's connect and command timeouts).
    func health() async throws -> Response {
        let active: Int
        do {
            active = try await services.store.activeCount()
        } catch {
            services.logger.warning("health check failed", metadata: ["error": "\(error)"])
            return try JSONResponse.make(
                encoding: HealthReport(status: "unhealthy", activeWorkflows: 0, timestamp: .now(), detail: error.description),
                status: .serviceUnavailable)
        }
        return try JSONResponse.make(encoding: HealthReport(status: "healthy", activeWorkflows: active, timestamp: .now()))
    }

    /// `GET /ready`, for load balancers and probes: 200 once the gateway serves workflows (the
    /// layout in Redis is checked), 503 before, and 503 while it drains after SIGTERM. It reads
    /// nothing from Redis: `/health` does.
    func ready() throws -> Response {
        if services.readiness.isDraining {
            return try JSONResponse.make(encoding: Readiness(status: "draining", detail: "shutting down"), status: .serviceUnavailable)
        }
        if services.readiness.isPrepared { return try JSONResponse.make(encoding: Readiness(status: "ready")) }
        return try JSONResponse.make(encoding: Readiness(status: "starting", detail: "waiting for Redis"), status: .serviceUnavailable)
    }

    /// Ready, running (leased) and delayed task counts per shard, their totals (and `demand` =
    /// ready + running), the active workflows, and the stored workflows in each status.
    func queues() async throws -> Response {
        async let depths = services.store.queueDepths()
        async let active = services.store.activeCount()
        async let statuses = services.store.countsByStatus()
        let report = QueueReport(
            depths: try await depths, activeWorkflows: try await active, byStatus: try await statuses, timestamp: .now())
        return try JSONResponse.make(encoding: report)
    }
}
