import ArgumentParser
import Foundation
import Hummingbird
import Logging
import OrchestraClient
import OrchestraRedis
import ServiceLifecycle

/// The floor under the gateway's CPU per request: a plain Hummingbird server whose
/// `POST /run-graph` reads the body and answers a constant — the answer the real gateway gave, so
/// the bytes on the wire match. Driven by the same client over the same connections as F1, its CPU
/// per request is what HTTP/1 on Hummingbird, NIO and the kernel cost on this machine before any
/// of the gateway's own work (parsing, validation, Redis).
enum HTTPFloor {
    /// Starts the floor server (this executable's hidden `floor-server`) on a free port.
    static func start(answer: String, redisURL: String? = nil, logger: Logger) async throws -> (process: ChildProcesses, url: String) {
        let port = try BenchCluster.freePort()
        let process = ChildProcesses(
            [
                .init(
                    name: "http-floor", executable: ChildProcesses.sibling("orchestra-bench"),
                    arguments: ["floor-server", "--port", String(port), "--answer", answer] + (redisURL.map { ["--redis-url", $0] } ?? []),
                    environment: ProcessInfo.processInfo.environment)
            ],
            grace: .seconds(5), logger: logger)
        try process.start()
        let url = "http://127.0.0.1:\(port)"
        do {
            try await GatewayClient(baseURL: url, apiKey: nil).waitUntilHealthy(timeout: .seconds(30))
        } catch {
            await process.stopAll()
            throw error
        }
        return (process, url)
    }
}

/// `orchestra-bench floor-server`: the server ``HTTPFloor`` measures. Not for users.
struct FloorServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floor-server", abstract: "A constant-answer Hummingbird server (the HTTP floor).", shouldDisplay: false)

    @Option var port: Int
    @Option(help: "The JSON body every POST /run-graph gets.") var answer: String
    @Option(help: "A Redis to PING once per request (the floor of a route that makes one round trip).") var redisURL: String?

    func run() async throws {
        let answer = ByteBuffer(string: answer)
        var logger = Logger(label: "orchestra.bench.floor")
        logger.logLevel = .warning
        let redis = try redisURL.map { RedisClient(configuration: try RedisConfiguration(url: $0), logger: logger) }
        let router = Router()
        router.get("/ready") { _, _ in Response(status: .ok) }
        router.post("/run-graph") { request, context -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            if let redis { _ = try await redis.send("PING") }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: answer))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        if let redis {
            try await ServiceGroup(configuration: .init(services: [redis, app], logger: logger)).run()
        } else {
            try await app.runService()
        }
    }
}
