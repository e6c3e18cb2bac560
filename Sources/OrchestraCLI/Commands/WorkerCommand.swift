import ArgumentParser
import OrchestraAPI
import OrchestraClient
import OrchestraConfig
import OrchestraMetrics
import OrchestraProviders
import OrchestraWorker
import ServiceLifecycle

/// `orchestra worker`: pulls ready tasks from Redis and runs them.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run tasks: claim ready DAG nodes, call the LLM, write results. Scale by starting more."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "Tasks run at once by this process (WORKER_CONCURRENCY).")
    var concurrency: Int?

    func run() async throws {
        var overrides = common.overrides
        overrides["WORKER_CONCURRENCY"] = concurrency.map(String.init)
        let runtime = try Runtime(envFile: common.envFile, overrides: overrides, label: "orchestra.worker")
        try await Runtime.withHTTPClient { httpClient in
            let redis = try runtime.makeRedisClient(name: "orchestra-worker")
            _ = PrometheusExport.registry()  // the metrics backend, before any metric is recorded
            let configuration = runtime.configuration
            let worker = WorkerService(
                configuration: configuration, redis: redis,
                providers: try runtime.makeProviders(httpClient: httpClient),
                gate: runtime.makeProviderGate(redis: redis), logger: runtime.logger,
                workerShutdownGraceSeconds: configuration.workerShutdownGraceSeconds,
                tuning: WorkerTuning(heartbeatInterval: .seconds(configuration.workerHeartbeatSeconds)))
            // Shut down in reverse order: the worker drains first, its probes stay up meanwhile.
            var services: [any Service] = [redis]
            if configuration.workerMetricsPort > 0 {
                services.append(
                    WorkerProbeServer(
                        worker: worker, host: configuration.host, port: configuration.workerMetricsPort, logger: runtime.logger))
            }
            services.append(worker)
            try await runtime.runServices(services)
        }
    }
}
