import Foundation
public import OrchestraRedis

/// The Redis server integration tests share: `REDIS_TEST_URL` when set (the test script starts
/// one and stops it by pid), otherwise a private `redis-server` started once for this process.
public enum TestRedis {
    /// The shared test server's URL.
    public static var url: String {
        get throws {
            if let url = ProcessInfo.processInfo.environment["REDIS_TEST_URL"], !url.isEmpty { return url }
            return try privateServer.get().url
        }
    }

    private static let privateServer: Result<RedisServerProcess, any Error> = Result {
        let server = try RedisServerProcess()
        atexit { TestRedis.stopPrivateServer() }
        return server
    }

    private static func stopPrivateServer() {
        if case .success(let server) = privateServer { server.stop() }
    }

    /// A client for the shared test server.
    public static func client(_ adjust: (inout RedisConfiguration) -> Void = { _ in }) throws -> RedisClient {
        var configuration = try RedisConfiguration(url: url)
        adjust(&configuration)
        return RedisClient(configuration: configuration)
    }

    /// A key prefix no other test uses, so tests never collide on the shared server.
    public static func uniquePrefix(_ name: String = "test") -> String {
        "\(name):\(UUID().uuidString.prefix(8).lowercased()):"
    }
}
