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
        routes.on("/", .get) { _, _ in root() }
        routes.on("/health", .get) { _, _ in await health() }
        routes.on("/ready", .get) { _, _ in ready() }
        routes.on("/queues", .get) { _, _ in try await queues() }
    }

    func root() -> Response {
        JSONResponse.make(["service": .string(Self.serviceName), "status": "running", "version": .string(GatewayServer.version)])
    }

    /// 200 `{"status": "healthy", ...}`, or 503 `{"status": "unhealthy", ..., "detail": ...}` when
    /// Redis fails (within the Redis client's connect and command timeouts).
    func health() async -> Response {
        do {
            let active = try await services.store.activeCount()
            return JSONResponse.make([
                "status": "healthy", "active_workflows": .int(Int64(active)), "timestamp": .string(Timestamp.now().iso8601String),
            ])
        } catch {
            services.logger.warning("health check failed", metadata: ["error": "\(error)"])
            return JSONResponse.make(
                [
                    "status": "unhealthy", "active_workflows": 0, "timestamp": .string(Timestamp.now().iso8601String),
                    "detail": .string(error.description),
                ],
                status: .serviceUnavailable
            )
        }
    }

    /// `GET /ready`, for load balancers and probes: 200 once the gateway serves workflows (the
    /// layout in Redis is checked), 503 before, and 503 while it drains after SIGTERM. It reads
    /// nothing from Redis: `/health` does.
    func ready() -> Response {
        if services.readiness.isDraining {
            return JSONResponse.make(["status": "draining", "detail": "shutting down"], status: .serviceUnavailable)
        }
        if services.readiness.isPrepared { return JSONResponse.make(["status": "ready"]) }
        return JSONResponse.make(["status": "starting", "detail": "waiting for Redis"], status: .serviceUnavailable)
    }

    /// Ready, running (leased) and delayed task counts per shard, their totals (and `demand` =
    /// ready + running), the active workflows, and the stored workflows in each status.
    func queues() async throws -> Response {
        async let depths = services.store.queueDepths()
        async let active = services.store.activeCount()
        async let statuses = services.store.countsByStatus()
        let shards = try await depths
        let activeCount = try await active
        let byStatus = try await statuses
        let json = { (value: Int) in JSONValue.int(Int64(value)) }
        let ready = shards.reduce(0) { $0 + $1.ready }
        let running = shards.reduce(0) { $0 + $1.running }
        // `demand`, what autoscalers scale workers on: tasks that need a worker slot now. Delayed
        // retries wait outside the ready lists and need none until they are due.
        let totals: JSONValue = [
            "ready": json(ready), "running": json(running), "delayed": json(shards.reduce(0) { $0 + $1.delayed }),
            "demand": json(ready + running),
        ]
        let body: JSONValue = [
            "shards": .array(
                shards.map { ["shard": json($0.shard), "ready": json($0.ready), "running": json($0.running), "delayed": json($0.delayed)] }
            ),
            "totals": totals,
            "active_workflows": json(activeCount),
            "workflows": .object(JSONObject(byStatus.map { ($0.status, json($0.count)) })),
            "timestamp": .string(Timestamp.now().iso8601String),
        ]
        return JSONResponse.make(body)
    }
}
