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

    /// Clients the server (as `CLIENT LIST` tells) holds blocked in `command` (e.g. `blpop`).
    public static func blockedClients(in command: String, via client: RedisClient) async throws -> Int {
        let list = try await client.send("CLIENT", "LIST").decodeString()
        return list.split(separator: "\n").filter { line in
            let fields = line.split(separator: " ")
            return fields.contains { $0 == "cmd=\(command)" } && fields.contains { $0.hasPrefix("flags=") && $0.contains("b") }
        }.count
    }

    /// Returns once more than `baseline` clients are blocked in `command`: the server's own word
    /// that a blocking call has arrived (instead of a pause).
    public static func waitUntilBlocked(
        in command: String, moreThan baseline: Int, via client: RedisClient, within limit: Duration = .seconds(10)
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while try await blockedClients(in: command, via: client) <= baseline {
            guard ContinuousClock.now < deadline else { throw TestSupportError("no client blocked in \(command)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
