import Foundation
import Logging
import OrchestraClient
import OrchestraRedis

/// The local mode's Redis: the one `REDIS_URL` names when it answers, otherwise a private
/// `redis-server` started on that loopback port (without persistence).
enum LocalRedis {
    struct Unreachable: Error, CustomStringConvertible {
        var description: String
    }

    /// Whether a Redis answers PING at `configuration` within a second.
    static func isReachable(_ configuration: RedisConfiguration) async -> Bool {
        var probe = configuration
        probe.connectTimeout = .seconds(1)
        probe.commandTimeout = .seconds(1)
        let client = RedisClient(configuration: probe)
        defer { client.shutdown() }
        return (try? await client.send("PING"))?.string == "PONG"
    }

    /// Nil when Redis is reachable; otherwise the spec of a `redis-server` to start for it.
    static func serverToStart(for configuration: RedisConfiguration) async throws -> ChildProcesses.Spec? {
        if await isReachable(configuration) { return nil }
        guard ["127.0.0.1", "localhost", "::1"].contains(configuration.host) else {
            throw Unreachable(description: "no Redis answers at \(configuration.endpointDescription), and it is not on this machine")
        }
        guard
            let server = ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"]
                .first(where: FileManager.default.isExecutableFile(atPath:))
        else {
            throw Unreachable(
                description:
                    "no Redis answers at \(configuration.endpointDescription) and redis-server is not installed (scripts/bootstrap.sh installs it)"
            )
        }
        var arguments = ["--port", String(configuration.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        if let password = configuration.password { arguments += ["--requirepass", password] }
        return .init(name: "redis-server", executable: server, arguments: arguments, environment: ProcessInfo.processInfo.environment)
    }

    /// Waits until Redis answers, or throws after `timeout`.
    static func waitUntilReachable(_ configuration: RedisConfiguration, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while !(await isReachable(configuration)) {
            guard ContinuousClock.now < deadline else {
                throw Unreachable(description: "the redis-server started for \(configuration.endpointDescription) did not answer")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
