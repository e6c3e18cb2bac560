import Foundation
import Logging
import OrchestraClient
import OrchestraRedis

/// The processes a cluster benchmark runs against: one gateway and `workers` worker processes of the
/// `orchestra` executable beside this one, on the given Redis under a fresh key prefix, with the echo provider unless told otherwise.
struct BenchCluster {
    let keyPrefix: String
    let gatewayURL: String
    let gateway: ChildProcesses
    let workers: ChildProcesses

    static func start(redisURL: String, workers count: Int, environment extra: [String: String] = [:], logger: Logger) async throws
        -> BenchCluster
    {
        let keyPrefix = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let port = try Self.freePort()
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasSuffix("_API_KEY") && !$0.key.hasSuffix("_BASE_URL") }
        environment.merge([
            "REDIS_URL": redisURL, "ORCHESTRA_KEY_PREFIX": keyPrefix, "ORCHESTRATOR_HOST": "127.0.0.1",
            "ORCHESTRATOR_PORT": String(port), "LOG_LEVEL": "warning", "WORKER_METRICS_PORT": "0",
        ]) { _, new in new }
        environment.merge(extra) { _, new in new }
        let executable = ChildProcesses.sibling("orchestra")
        let noEnvFile = ["--env-file", "/nonexistent/.env"]
        let gateway = ChildProcesses(
            [.init(name: "gateway", executable: executable, arguments: ["gateway"] + noEnvFile, environment: environment)],
            grace: .seconds(5), logger: logger)
        let workers = ChildProcesses(
            (0..<count).map {
                .init(name: "worker-\($0 + 1)", executable: executable, arguments: ["worker"] + noEnvFile, environment: environment)
            },
            grace: .seconds(5), logger: logger)
        try gateway.start()
        try workers.start()
        let cluster = BenchCluster(keyPrefix: keyPrefix, gatewayURL: "http://127.0.0.1:\(port)", gateway: gateway, workers: workers)
        do {
            try await GatewayClient(baseURL: cluster.gatewayURL, apiKey: nil).waitUntilHealthy(timeout: .seconds(30))
        } catch {
            await cluster.stop()  // no process outlives a benchmark that could not start
            throw error
        }
        return cluster
    }

    func stop() async {
        await workers.stopAll()
        await gateway.stopAll()
    }

    /// CPU seconds used so far by the gateway, the workers, this process and each of `redisNodes`.
    func cpu(redisNodes: [RedisClient]) async throws -> FrontDoorBenchmark.CPU {
        var cpu = FrontDoorBenchmark.CPU()
        cpu.gateway = gateway.pids.map(ProcessCPU.seconds(pid:)).reduce(0, +)
        cpu.workers = workers.pids.map(ProcessCPU.seconds(pid:)).reduce(0, +)
        cpu.client = ProcessCPU.seconds(pid: getpid())
        for node in redisNodes {
            cpu.redisNodes.append(ProcessCPU.redisSeconds(try await node.send("INFO", "cpu").decodeString()))
        }
        return cpu
    }

    /// A port nothing listens on now (the kernel's pick for port 0).
    static func freePort() throws -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw BenchmarkError("socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw BenchmarkError("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Statistics for the reports.
enum Percentile {
    /// The `p`-th percentile (0...100) of `values` by nearest rank.
    static func of(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank - 1, 0), sorted.count - 1)]
    }
}
