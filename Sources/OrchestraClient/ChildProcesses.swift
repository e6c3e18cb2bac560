import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// Child processes supervised as one `Service`: started at once, sent SIGTERM on graceful
/// shutdown, and killed if they have not exited within `grace`. A child that exits on its own is
/// logged; the local cluster keeps running with the others.
public final class ChildProcesses: Service, Sendable {
    public struct Spec: Sendable {
        public var name: String
        public var executable: String
        public var arguments: [String]
        public var environment: [String: String]

        public init(name: String, executable: String, arguments: [String], environment: [String: String]) {
            self.name = name
            self.executable = executable
            self.arguments = arguments
            self.environment = environment
        }
    }

    // `SpawnedProcess` is not Sendable; every access goes through this mutex.
    private struct Box: @unchecked Sendable { var processes: [(Spec, SpawnedProcess)] = [] }
    private let box = Mutex(Box())
    private let specs: [Spec]
    private let grace: Duration
    private let logger: Logger

    public init(_ specs: [Spec], grace: Duration = .seconds(15), logger: Logger) {
        self.specs = specs
        self.grace = grace
        self.logger = logger
    }

    /// Starts every child now (so callers can wait for them before the group runs).
    public func start() throws {
        try box.withLock { box in
            for spec in specs {
                let process = try SpawnedProcess(executable: spec.executable, arguments: spec.arguments, environment: spec.environment)
                box.processes.append((spec, process))
            }
        }
    }

    public func run() async throws {
        if box.withLock({ $0.processes.isEmpty }) { try start() }
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await Task.sleep(for: .milliseconds(500))
                reportExited()
            }
        } onGracefulShutdown: {
        }
        await stopAll()
    }

    private func reportExited() {
        box.withLock { box in
            box.processes.removeAll { spec, process in
                guard !process.isRunning else { return false }
                logger.warning("\(spec.name) exited", metadata: ["status": "\(process.exitStatus ?? -1)"])
                return true
            }
        }
    }

    /// SIGTERM to every child, then SIGKILL to those still running after the grace period.
    public func stopAll() async {
        box.withLock { box in
            for (_, process) in box.processes where process.isRunning { process.signal(SIGTERM) }
        }
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, box.withLock({ box in box.processes.contains { $0.1.isRunning } }) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        box.withLock { box in
            for (spec, process) in box.processes where process.isRunning {
                logger.warning("\(spec.name) did not stop in time; killing it")
                process.killAndReap()
            }
            box.processes.removeAll()
        }
    }

    /// The process ids of the running children, in start order.
    public var pids: [Int32] {
        box.withLock { box in box.processes.filter { $0.1.isRunning }.map { $0.1.pid } }
    }

    /// Sends `signal` to every running child (the benchmarks pause and resume workers).
    public func signalAll(_ signal: Int32) {
        box.withLock { box in
            for (_, process) in box.processes where process.isRunning { process.signal(signal) }
        }
    }

    /// The path of this executable, to start more of it.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The path of executable `name` beside this one (`orchestra-bench` starts `orchestra`).
    public static func sibling(_ name: String) -> String {
        URL(fileURLWithPath: currentExecutable).deletingLastPathComponent().appendingPathComponent(name).path
    }
}

extension ChildProcesses: CustomStringConvertible {
    /// A short name for logs (ServiceLifecycle logs every service it starts): never its
    /// configuration, which holds secrets.
    public var description: String { "ChildProcesses" }
}
