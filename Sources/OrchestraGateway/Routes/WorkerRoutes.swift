import Hummingbird
import OrchestraAPI
import OrchestraScheduler

/// `GET /workers` (an addition): the workers alive now, as they last reported themselves.
struct WorkerRoutes {
    let services: GatewayServices

    func add(to routes: RouteTable<GatewayRequestContext>) {
        routes.on("/workers", .get) { _, _ in try await workers() }
    }

    func workers() async throws -> Response {
        let workers = try await services.registry.list()
        return try JSONResponse.make(encoding: WorkerList(workers: workers.map(WorkerList.Worker.init), timestamp: .now()))
    }
}
