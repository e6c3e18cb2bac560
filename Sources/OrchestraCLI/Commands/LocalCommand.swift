import ArgumentParser
import Foundation
import Logging
import OrchestraAPI
import OrchestraClient
import OrchestraConfig
import OrchestraGateway
import OrchestraRedis
import ServiceLifecycle

/// `orchestra local`: the whole cluster on this machine for development — Redis (started when none
/// answers at `REDIS_URL`), one gateway in this process, and `ORCHESTRATOR_WORKERS` worker processes.
struct LocalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: "Run a local cluster: Redis if needed, one gateway, N worker processes."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "Gateway port (ORCHESTRATOR_PORT).")
    var port: Int?

    @Option(help: "Worker processes (ORCHESTRATOR_WORKERS).")
    var workers: Int?

    @Flag(help: "Submit the seed's example workflows once the cluster is up and print their results.")
    var examples = false

    @Flag(help: "With --examples: stop the cluster afterwards (exit status 1 if one did not complete).")
    var exitAfterExamples = false

    func run() async throws {
        var overrides = common.overrides
        overrides["ORCHESTRATOR_PORT"] = port.map(String.init)
        overrides["ORCHESTRATOR_WORKERS"] = workers.map(String.init)
        let runtime = try Runtime(envFile: common.envFile, overrides: overrides, label: "orchestra.local")
        let configuration = runtime.configuration
        let redisConfiguration = try RedisConfiguration(url: configuration.redisURL)

        var services: [any Service] = []
        if let server = try await LocalRedis.serverToStart(for: redisConfiguration) {
            runtime.logger.info("starting redis-server", metadata: ["endpoint": "\(redisConfiguration.endpointDescription)"])
            let redisServer = ChildProcesses([server], grace: .seconds(5), logger: runtime.logger)
            try redisServer.start()
            services.append(redisServer)
            try await LocalRedis.waitUntilReachable(redisConfiguration, timeout: .seconds(10))
        }

        // Workers are separate processes, as in production: same executable, same environment.
        var workerEnvironment = runtime.environment
        workerEnvironment["REDIS_URL"] = configuration.redisURL
        // The workers share this host: their probe listeners are off unless WORKER_METRICS_PORT is
        // set, and then worker i listens on that port + i.
        let probeBase = runtime.environment["WORKER_METRICS_PORT"] == nil ? 0 : configuration.workerMetricsPort
        let workerSpecs = (0..<configuration.workers).map { index in
            var environment = workerEnvironment
            environment["WORKER_METRICS_PORT"] = String(probeBase == 0 ? 0 : probeBase + index)
            return ChildProcesses.Spec(
                name: "worker-\(index + 1)", executable: ChildProcesses.currentExecutable,
                arguments: ["worker", "--env-file", common.envFile], environment: environment)
        }
        let workerProcesses = ChildProcesses(workerSpecs, logger: runtime.logger)
        try workerProcesses.start()

        try await Runtime.withHTTPClient { httpClient in
            let redis = try runtime.makeRedisClient(name: "orchestra-gateway")
            let gateway = GatewayServer(
                configuration: configuration, redis: redis, models: try runtime.makeModelCatalog(), logger: runtime.logger)
            services += [workerProcesses, redis, gateway]
            let gatewayHost = configuration.host == "0.0.0.0" ? "127.0.0.1" : configuration.host
            let baseURL = "http://\(gatewayHost):\(configuration.port)"
            runtime.logger.info(
                "local cluster starting",
                metadata: [
                    "gateway": "\(baseURL)", "workers": "\(configuration.workers)", "redis": "\(redisConfiguration.endpointDescription)",
                ])
            if examples {
                services.append(
                    ExamplesRunner(
                        gateway: GatewayClient(baseURL: baseURL, apiKey: configuration.apiKey, httpClient: httpClient),
                        keepServing: !exitAfterExamples))
            }
            try await runtime.runServices(services)
        }
    }
}

/// Runs the seed examples against the local gateway once it is healthy.
struct ExamplesRunner: Service {
    let gateway: GatewayClient
    let keepServing: Bool

    func run() async throws {
        try await gateway.waitUntilHealthy(timeout: .seconds(30))
        try await ExamplesCommand.runAll(on: gateway)
        if keepServing {
            print("The local cluster keeps running at \(gateway.baseURL); Ctrl-C stops it.")
            try? await gracefulShutdown()
        }
    }
}

extension ExamplesRunner: CustomStringConvertible {
    /// A short name for logs (ServiceLifecycle logs every service it starts): never its
    /// configuration, which holds secrets.
    var description: String { "ExamplesRunner" }
}
