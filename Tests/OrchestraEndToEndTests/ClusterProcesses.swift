import Foundation
import NIOHTTP1
import OrchestraTestSupport
import Synchronization

/// Real `orchestra gateway` and `orchestra worker` processes on the shared test Redis, under a key
/// prefix of their own. Every process is stopped (SIGKILL) when the cluster is shut down.
final class Cluster: Sendable {
    /// One started process.
    struct Member: Sendable {
        let role: String
        let pid: Int32
        /// The gateway's base URL (gateways only).
        let baseURL: String?
    }

    let keyPrefix: String
    let redisURL: String
    private let environment: [String: String]
    // Foundation's Process is not Sendable; it is only touched under this lock.
    private struct Processes: @unchecked Sendable { var list: [Process] = [] }
    private let processes = Mutex(Processes())

    /// A cluster whose processes all get `environment` on top of the test defaults, on the shared
    /// test Redis or the one at `redisURL`.
    init(environment: [String: String] = [:], redisURL: String? = nil) throws {
        self.keyPrefix = "e2e-\(UUID().uuidString.prefix(8).lowercased())"
        self.redisURL = try redisURL ?? TestRedis.url
        var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasSuffix("_API_KEY") && !$0.key.hasSuffix("_BASE_URL") }
        base["REDIS_URL"] = self.redisURL
        base["ORCHESTRA_KEY_PREFIX"] = keyPrefix
        base["ORCHESTRATOR_HOST"] = "127.0.0.1"
        base["LOG_LEVEL"] = base["E2E_LOG_LEVEL"] ?? "error"
        base["TASK_LEASE_SECONDS"] = "3"
        base["ORCHESTRA_EXIT_WITH_PARENT"] = "1"  // no process outlives a crashed test run
        base["WORKER_METRICS_PORT"] = "0"  // many workers share this host; a test that scrapes one gives it a port
        self.environment = base.merging(environment) { _, new in new }
    }

    /// The `orchestra` executable: `ORCHESTRA_BIN`, else the debug build next to these sources.
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["ORCHESTRA_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/orchestra").path
    }

    /// Starts a gateway on a free port and waits until `/ready` answers 200 (it listens and has
    /// checked the layout in Redis), unless `waitUntilReady` is false (then only until it listens).
    func startGateway(
        environment extra: [String: String] = [:], waitUntilReady: Bool = true, clockOffset: String? = nil, output: URL? = nil
    ) async throws -> Member {
        let port = try FreePort.find()
        let pid = try launch(["gateway", "--port", String(port)], extra, clockOffset: clockOffset, output: output)
        let member = Member(role: "gateway", pid: pid, baseURL: "http://127.0.0.1:\(port)")
        let deadline = ContinuousClock.now + .seconds(20)
        while !FreePort.isListening(port: port) {
            guard ContinuousClock.now < deadline, isRunning(pid) else { throw ClusterError("gateway on port \(port) did not start") }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard waitUntilReady else { return member }
        while try await GatewayHTTP(member).request(.GET, "/ready").status != 200 {
            guard ContinuousClock.now < deadline, isRunning(pid) else { throw ClusterError("gateway on port \(port) did not become ready") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return member
    }

    /// Starts a worker process.
    @discardableResult
    func startWorker(environment extra: [String: String] = [:], clockOffset: String? = nil, output: URL? = nil) throws -> Member {
        Member(role: "worker", pid: try launch(["worker"], extra, clockOffset: clockOffset, output: output), baseURL: nil)
    }

    /// Starts `orchestra` with `arguments`. With `clockOffset` (libfaketime's syntax, e.g. `+60s`) the
    /// process runs under Debian's `faketime`, so its wall clock is that far off; with `output`
    /// its standard output and error go to that file.
    func launch(_ arguments: [String], _ extra: [String: String], clockOffset: String? = nil, output: URL? = nil) throws -> Int32 {
        let process = Process()
        if let clockOffset {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/faketime")
            process.arguments = ["-f", clockOffset, Self.executable] + arguments + ["--env-file", "/nonexistent/.env"]
        } else {
            process.executableURL = URL(fileURLWithPath: Self.executable)
            process.arguments = arguments + ["--env-file", "/nonexistent/.env"]
        }
        var environment = environment.merging(extra) { _, new in new }
        if clockOffset != nil { environment["FAKETIME_DONT_FAKE_MONOTONIC"] = "1" }
        process.environment = environment
        if let output {
            if !FileManager.default.fileExists(atPath: output.path) {
                _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: output)
            handle.seekToEndOfFile()
            process.standardOutput = handle
            process.standardError = handle
        }
        try process.run()
        processes.withLock { $0.list.append(process) }
        return process.processIdentifier
    }

    func isRunning(_ pid: Int32) -> Bool {
        processes.withLock { $0.list.first { $0.processIdentifier == pid }?.isRunning ?? false }
    }

    /// Sends `signal` to one member.
    func signal(_ member: Member, _ signal: Int32) {
        kill(member.pid, signal)
    }

    /// Waits until process `pid` has exited.
    func waitForExit(_ pid: Int32, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while isRunning(pid) {
            guard ContinuousClock.now < deadline else { throw ClusterError("process \(pid) did not exit") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Kills every process of the cluster.
    func shutdown() {
        processes.withLock { processes in
            for process in processes.list where process.isRunning {
                kill(process.processIdentifier, SIGCONT)
                kill(process.processIdentifier, SIGKILL)
            }
        }
    }

    deinit { shutdown() }
}

/// Runs `body` with a cluster that is always shut down afterwards.
func withCluster<Result>(
    environment: [String: String] = [:], redisURL: String? = nil, _ body: (Cluster) async throws -> Result
) async throws -> Result {
    let cluster = try Cluster(environment: environment, redisURL: redisURL)
    defer { cluster.shutdown() }
    return try await body(cluster)
}

struct ClusterError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
