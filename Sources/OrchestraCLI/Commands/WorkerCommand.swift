import ArgumentParser
import OrchestraCore
import OrchestraProviders
import OrchestraWorker

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
            let worker = WorkerService(
                configuration: runtime.configuration, redis: redis,
                providers: try runtime.makeProviders(httpClient: httpClient),
                gate: runtime.makeProviderGate(redis: redis), logger: runtime.logger)
            try await runtime.runServices([redis, worker])
        }
    }
}
