import ArgumentParser
import Foundation
import OrchestraClient

/// Where the operator commands find the gateway.
struct ClientOptions: ParsableArguments {
    @Option(help: "Gateway base URL.")
    var gateway = "http://127.0.0.1:8000"

    @Option(help: "API key sent as X-API-Key (default: API_KEY from the environment).")
    var apiKey: String?

    func makeClient() -> GatewayClient {
        GatewayClient(baseURL: gateway, apiKey: apiKey ?? ProcessInfo.processInfo.environment["API_KEY"])
    }
}
