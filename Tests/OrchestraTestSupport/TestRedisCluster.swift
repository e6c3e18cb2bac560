import Foundation
public import OrchestraRedis
import Synchronization

/// Helpers for tests against a ``RedisClusterProcess``.
public enum TestRedisCluster {
    /// A cluster-mode client seeded with every node of `cluster`.
    public static func client(_ cluster: RedisClusterProcess, _ adjust: (inout RedisConfiguration) -> Void = { _ in }) throws
        -> RedisClient
    {
        var configuration = try RedisConfiguration(url: nil, clusterNodes: cluster.seedList)
        adjust(&configuration)
        return RedisClient(configuration: configuration)
    }

    /// A plain single-node client to one node of `cluster` (to look at what that node holds).
    public static func nodeClient(_ node: RedisClusterProcess.Node) throws -> RedisClient {
        RedisClient(configuration: try RedisConfiguration(url: "redis://127.0.0.1:\(node.port)"))
    }

    /// A cluster started once, on first use, off Swift's cooperative pool (starting one blocks
    /// for seconds), and stopped when the test process exits.
    public final class Shared: Sendable {
        private let start: Task<Result<RedisClusterProcess, any Error>, Never>

        /// A cluster that `make` starts on first use.
        public init(_ make: @escaping @Sendable () throws -> RedisClusterProcess = { try RedisClusterProcess() }) {
            start = Task {
                do {
                    let cluster = try await TestRedisCluster.offloaded(make)
                    Shared.started.withLock { $0.append(cluster) }
                    return .success(cluster)
                } catch {
                    return .failure(error)
                }
            }
        }

        /// The running cluster (started by the first caller).
        public func get() async throws -> RedisClusterProcess { try await start.value.get() }

        private static let started: Mutex<[RedisClusterProcess]> = {
            atexit { Shared.stopAll() }
            return Mutex([])
        }()

        private static func stopAll() {
            for cluster in started.withLock({ $0 }) { cluster.stop() }
        }
    }

    /// Runs blocking work (a `redis-cli` process) on its own thread, off Swift's cooperative pool.
    public static func offloaded<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
