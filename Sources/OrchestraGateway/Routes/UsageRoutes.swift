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
        let counters = try await services.store.usageCounters().sorted { ($0.provider, $0.model) < ($1.provider, $1.model) }
        func entry(_ calls: Int, _ prompt: Int, _ completion: Int) -> JSONObject {
            [
                "calls": .int(Int64(calls)), "prompt_tokens": .int(Int64(prompt)), "completion_tokens": .int(Int64(completion)),
                "total_tokens": .int(Int64(prompt + completion)),
            ]
        }
        let models: [JSONValue] = counters.map { usage in
            var object = entry(usage.calls, usage.promptTokens, usage.completionTokens)
            object["provider"] = .string(usage.provider)
            object["model"] = .string(usage.model)
            return .object(object)
        }
        let totals = entry(
            counters.reduce(0) { $0 + $1.calls }, counters.reduce(0) { $0 + $1.promptTokens },
            counters.reduce(0) { $0 + $1.completionTokens })
        return JSONResponse.make(["models": .array(models), "totals": .object(totals)])
    }
}
