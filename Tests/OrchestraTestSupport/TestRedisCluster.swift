import Foundation
public import OrchestraRedis

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

    /// Runs blocking work (a `redis-cli` process) on its own thread, off Swift's cooperative pool.
    public static func offloaded<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
