import Hummingbird
import OrchestraAPI
import OrchestraScheduler

/// `GET /usage` (an addition): completed calls and tokens per provider and model, cluster-wide,
/// from the counters the complete script keeps (one hash per shard).
struct UsageRoutes {
    let services: GatewayServices

    func add(to routes: RouteTable<GatewayRequestContext>) {
        routes.on("/usage", .get) { _, _ in try await usage() }
    }

    func usage() async throws -> Response {
        try JSONResponse.make(encoding: UsageReport(try await services.store.usageCounters()))
    }
}
