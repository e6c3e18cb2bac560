import Metrics
public import Prometheus
import Synchronization

/// The process's metrics, in Prometheus's text format: swift-metrics is bootstrapped once with a
/// Prometheus registry, and every metric the code records (``TaskMetrics``, Hummingbird's request
/// metrics, …) lands in it.
public enum PrometheusExport {
    private static let bootstrapped = Mutex<PrometheusCollectorRegistry?>(nil)

    /// The registry, bootstrapping swift-metrics with it the first time (once per process).
    public static func registry() -> PrometheusCollectorRegistry {
        bootstrapped.withLock { registry in
            if let registry { return registry }
            let created = PrometheusCollectorRegistry()
            var factory = PrometheusMetricsFactory(registry: created)
            factory.defaultDurationHistogramBuckets = TaskMetrics.durationBuckets
            factory.nameAndLabelSanitizer = { label, dimensions in (prometheusName(label), dimensions) }
            MetricsSystem.bootstrap(factory)
            registry = created
            return created
        }
    }

    /// Every metric of the process, in the text format.
    public static func text() -> String { registry().emitToString() }

    /// Hummingbird's metrics middleware names its metrics after OpenTelemetry (`hb.requests`,
    /// `http.server.request.duration`); in Prometheus's conventions a counter ends in `_total` and
    /// a duration says its unit. The renames happen here, once, for every backend user.
    static func prometheusName(_ label: String) -> String {
        switch label {
        case "hb.requests": "hb_requests_total"
        case "hb.request.errors": "hb_request_errors_total"
        case "http.server.request.duration": "http_server_request_duration_seconds"
        default: label
        }
    }

    /// The content type of the text format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
