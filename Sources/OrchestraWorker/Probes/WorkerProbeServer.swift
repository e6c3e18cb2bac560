import Hummingbird
public import Logging
import OrchestraMetrics
public import ServiceLifecycle

/// The worker's small HTTP listener (`WORKER_METRICS_PORT`) for probes and scrapes:
/// `GET /health` (200 while the process runs; it does not touch Redis, so a Redis outage does not
/// restart workers), `GET /ready` (200 once the worker checked the layout in Redis and claims; 503
/// before, and while it drains after SIGTERM) and `GET /metrics` (Prometheus text).
public struct WorkerProbeServer: Service, CustomStringConvertible {
    let worker: WorkerService
    let host: String
    let port: Int
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    /// A listener for `worker` on `host`:`port` (0 picks a free port, reported to `onListening`).
    public init(
        worker: WorkerService, host: String, port: Int, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.worker = worker
        self.host = host
        self.port = port
        self.logger = logger
        self.onListening = onListening
    }

    public var description: String { "WorkerProbeServer(\(port))" }

    public func run() async throws {
        let router = Router()
        let worker = self.worker
        let json: @Sendable (String, HTTPResponse.Status) -> Response = { text, status in
            Response(
                status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/health") { _, _ in json(#"{"status":"alive","worker_id":"\#(worker.workerID)"}"#, .ok) }
        router.get("/ready") { _, _ in
            if worker.isReady { return json(#"{"status":"ready"}"#, .ok) }
            let state = worker.isDraining ? "draining" : "starting"
            return json(#"{"status":"\#(state)"}"#, .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            let text = PrometheusExport.text()
            return Response(
                status: .ok, headers: [.contentType: PrometheusExport.contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text))
            )
        }
        let onListening = self.onListening
        let logger = self.logger
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                logger.info("worker probes listening", metadata: ["port": "\(bound)"])
                await onListening(bound)
            },
            logger: logger
        )
        try await app.run()
    }
}
