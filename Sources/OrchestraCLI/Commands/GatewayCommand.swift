import ArgumentParser
import OrchestraAPI
import OrchestraGateway
import OrchestraMetrics

/// `orchestra gateway`: the stateless HTTP gateway.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Serve the REST API (validate, enqueue, report). Run as many as you like on one Redis."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "Listen address (ORCHESTRATOR_HOST).")
    var host: String?

    @Option(help: "Listen port (ORCHESTRATOR_PORT).")
    var port: Int?

    func run() async throws {
        var overrides = common.overrides
        overrides["ORCHESTRATOR_HOST"] = host
        overrides["ORCHESTRATOR_PORT"] = port.map(String.init)
        let runtime = try Runtime(envFile: common.envFile, overrides: overrides, label: "orchestra.gateway")
        _ = PrometheusExport.registry()  // the metrics backend, before any metric is recorded
        let redis = try runtime.makeRedisClient(name: "orchestra-gateway")
        let gateway = GatewayServer(
            configuration: runtime.configuration, redis: redis, models: try runtime.makeModelCatalog(), logger: runtime.logger)
        try await runtime.runServices([redis, gateway])
    }
}
