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
        let time = { (milliseconds: Int64) in JSONValue.string(Timestamp(millisecondsSinceEpoch: milliseconds).iso8601String) }
        let list: [JSONValue] = workers.map { worker in
            [
                "id": .string(worker.id), "host": .string(worker.host), "version": .string(worker.version),
                "started_at": time(worker.startedAt), "concurrency": .int(Int64(worker.concurrency)),
                "in_flight": .int(Int64(worker.inFlight)), "last_claim_at": worker.lastClaimAt.map(time) ?? .null,
                "draining": .bool(worker.draining), "last_seen_at": time(worker.lastSeenAt),
            ]
        }
        return JSONResponse.make(["workers": .array(list), "timestamp": .string(Timestamp.now().iso8601String)])
    }
}
