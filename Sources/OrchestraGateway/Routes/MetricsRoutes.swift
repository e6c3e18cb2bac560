import Hummingbird
import Metrics
import OrchestraMetrics
import OrchestraScheduler

/// `GET /metrics`: this gateway's metrics in Prometheus's text format — its HTTP requests
/// (Hummingbird's `hb_requests_total`, `hb_request_duration_seconds`, …) and gauges read from Redis
/// at each scrape: `orchestra_queue_ready`, `orchestra_queue_running`, `orchestra_queue_delayed`
/// (per shard), `orchestra_workflows` (per status, within the retention), `orchestra_workers_alive`;
/// and this gateway's own `orchestra_gateway_long_polls` and `orchestra_gateway_event_subscriptions`.
/// Behind `API_KEY` unless `METRICS_PUBLIC=true`.
struct MetricsRoutes {
    let services: GatewayServices

    func add(to routes: RouteTable<GatewayRequestContext>) {
        routes.on("/metrics", .get) { _, _ in try await metrics() }
    }

    func metrics() async throws -> Response {
        _ = PrometheusExport.registry()  // the backend, before the gauges below are created
        let store = services.store
        let depths = try await store.queueDepths()
        for depth in depths {
            let shard = [("shard", String(depth.shard))]
            Gauge(label: "orchestra_queue_ready", dimensions: shard).record(depth.ready)
            Gauge(label: "orchestra_queue_running", dimensions: shard).record(depth.running)
            Gauge(label: "orchestra_queue_delayed", dimensions: shard).record(depth.delayed)
        }
        for (status, count) in try await store.workflowCounts() {
            Gauge(label: "orchestra_workflows", dimensions: [("status", status)]).record(count)
        }
        Gauge(label: "orchestra_workers_alive").record(try await services.registry.list().count)
        Gauge(label: "orchestra_gateway_long_polls").record(services.notifications.waiterCount)
        Gauge(label: "orchestra_gateway_event_subscriptions").record(services.events.subscriptionCount)
        let text = PrometheusExport.text()
        return Response(
            status: .ok, headers: [.contentType: PrometheusExport.contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
