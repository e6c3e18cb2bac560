import Metrics
import Synchronization

/// What a worker records about the tasks it runs, in Prometheus's naming conventions (through
/// swift-metrics: whatever backend is bootstrapped — ``PrometheusExport`` in `orchestra`).
/// Handles are created once per label set and cached, so recording costs a lookup and an
/// atomic add on the hot path.
///
/// | metric | kind | labels |
/// |---|---|---|
/// | `orchestra_tasks_started_total` | counter | provider, model |
/// | `orchestra_tasks_completed_total` | counter | provider, model |
/// | `orchestra_tasks_failed_total` | counter | provider, model (failed for good) |
/// | `orchestra_tasks_retried_total` | counter | provider, model, reason (`rate_limit`, `error`) |
/// | `orchestra_task_duration_seconds` | histogram | provider, model (claim → acknowledgement) |
/// | `orchestra_task_queue_wait_seconds` | histogram | (ready → claimed, server clock) |
/// | `orchestra_provider_request_duration_seconds` | histogram | provider, model, status_class |
/// | `orchestra_provider_requests_total` | counter | provider, model, status_class (`2xx`, `4xx`, `429`, `5xx`, `timeout`, `error`) |
/// | `orchestra_provider_tokens_total` | counter | provider, model, kind (`prompt`, `completion`) |
/// | `orchestra_provider_rate_limit_waits_total` | counter | provider (a call waited for a cluster-wide permit) |
/// | `orchestra_provider_rate_limit_wait_seconds` | histogram | provider |
/// | `orchestra_leases_expired_total` | counter | outcome (`requeued`, `failed`) |
/// | `orchestra_tasks_recovered_total` | counter | (claims recovered from a worker that died mid-claim) |
/// | `orchestra_worker_tasks_in_flight` | gauge | |
public final class TaskMetrics: Sendable {
    /// Histogram buckets for durations: 5 ms to 10 minutes (LLM calls are slow).
    public static let durationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(600),
    ]

    /// The metrics of this process.
    public static let shared = TaskMetrics()

    private let counters = Mutex<[String: Counter]>([:])
    private let timers = Mutex<[String: Metrics.Timer]>([:])
    private let inFlight = Mutex<Gauge?>(nil)

    public init() {}

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = label + dimensions.map { "\u{1}" + $0.1 }.joined()
        return counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions)
            cache[key] = counter
            return counter
        }
    }

    private func timer(_ label: String, _ dimensions: [(String, String)]) -> Metrics.Timer {
        let key = label + dimensions.map { "\u{1}" + $0.1 }.joined()
        return timers.withLock { cache in
            if let timer = cache[key] { return timer }
            let timer = Metrics.Timer(label: label, dimensions: dimensions, preferredDisplayUnit: .seconds)
            cache[key] = timer
            return timer
        }
    }

    /// A task was claimed and is about to call `provider`/`model`.
    public func started(provider: String, model: String, queueWait: Duration) {
        counter("orchestra_tasks_started_total", [("provider", provider), ("model", model)]).increment()
        timer("orchestra_task_queue_wait_seconds", []).record(duration: queueWait)
    }

    /// A task completed after `duration` (claim → acknowledgement).
    public func completed(provider: String, model: String, duration: Duration) {
        counter("orchestra_tasks_completed_total", [("provider", provider), ("model", model)]).increment()
        timer("orchestra_task_duration_seconds", [("provider", provider), ("model", model)]).record(duration: duration)
    }

    /// A task failed for good.
    public func failed(provider: String, model: String) {
        counter("orchestra_tasks_failed_total", [("provider", provider), ("model", model)]).increment()
    }

    /// An attempt failed and the task will be tried again.
    public func retried(provider: String, model: String, reason: String) {
        counter("orchestra_tasks_retried_total", [("provider", provider), ("model", model), ("reason", reason)]).increment()
    }

    /// A provider call ended (`statusClass` as in the table above).
    public func providerRequest(provider: String, model: String, statusClass: String, duration: Duration) {
        let dimensions = [("provider", provider), ("model", model), ("status_class", statusClass)]
        counter("orchestra_provider_requests_total", dimensions).increment()
        timer("orchestra_provider_request_duration_seconds", dimensions).record(duration: duration)
    }

    /// Tokens a call used.
    public func tokens(provider: String, model: String, prompt: Int?, completion: Int?) {
        if let prompt, prompt > 0 {
            counter("orchestra_provider_tokens_total", [("provider", provider), ("model", model), ("kind", "prompt")]).increment(by: prompt)
        }
        if let completion, completion > 0 {
            counter("orchestra_provider_tokens_total", [("provider", provider), ("model", model), ("kind", "completion")])
                .increment(by: completion)
        }
    }

    /// A call waited `duration` for a cluster-wide provider permit.
    public func rateLimitWait(provider: String, duration: Duration) {
        counter("orchestra_provider_rate_limit_waits_total", [("provider", provider)]).increment()
        timer("orchestra_provider_rate_limit_wait_seconds", [("provider", provider)]).record(duration: duration)
    }

    /// What a reaper pass recovered.
    public func reaped(requeued: Int, failed: Int, recovered: Int) {
        if requeued > 0 { counter("orchestra_leases_expired_total", [("outcome", "requeued")]).increment(by: requeued) }
        if failed > 0 { counter("orchestra_leases_expired_total", [("outcome", "failed")]).increment(by: failed) }
        if recovered > 0 { counter("orchestra_tasks_recovered_total", []).increment(by: recovered) }
    }

    /// Tasks running on this worker now.
    public func setInFlight(_ count: Int) {
        inFlight.withLock { gauge in
            if gauge == nil { gauge = Gauge(label: "orchestra_worker_tasks_in_flight") }
            return gauge!
        }.record(count)
    }
}
