import Foundation
import OrchestraRedis
import OrchestraTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Failures: a clear error within the timeout, then recovery", .serialized, .timeLimit(.minutes(5)))
struct RedisFailureTests {
    @Test func aWrongPasswordIsAClearErrorWithoutThePassword() async throws {
        let server = try RedisServerProcess(password: "right-password")
        defer { server.stop() }
        var configuration = try RedisConfiguration(url: "redis://:wrong-password@127.0.0.1:\(server.port)")
        configuration.connectTimeout = .seconds(2)
        let client = RedisClient(configuration: configuration)
        defer { client.shutdown() }
        let started = ContinuousClock.now
        do {
            try await client.send("PING")
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.code == .serverError)
            #expect(error.message.contains("AUTH failed"))
            #expect(error.message.contains("WRONGPASS") || error.message.contains("invalid password"))
            #expect(!error.description.contains("wrong-password"))
            #expect(!error.description.contains("right-password"))
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        let good = RedisClient(configuration: try RedisConfiguration(url: server.url))
        defer { good.shutdown() }
        #expect(try await good.send("PING") == .simpleString("PONG"))
    }

    @Test func nothingListeningIsConnectionRefused() async throws {
        let port = try FreePort.find()
        let client = RedisClient(configuration: try RedisConfiguration(url: "redis://:secret@127.0.0.1:\(port)"))
        defer { client.shutdown() }
        let started = ContinuousClock.now
        do {
            try await client.send("PING")
            Issue.record("PING succeeded with no server")
        } catch {
            #expect(error.code == .connectionRefused)
            #expect(!error.description.contains("secret"))
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        // A socket that completes the TCP handshake (backlog) but never replies.
        let listener = try SilentListener()
        defer { listener.close() }
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(listener.port)")
        configuration.commandTimeout = .milliseconds(500)
        let client = RedisClient(configuration: configuration)
        defer { client.shutdown() }
        let started = ContinuousClock.now
        do {
            try await client.send("PING")
            Issue.record("PING succeeded against a silent peer")
        } catch {
            #expect(error.code == .timeout)
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(3))
    }

    @Test func aServerKilledMidCommandFailsItThenTheClientRecovers() async throws {
        let port = try FreePort.find()
        var server = try RedisServerProcess(port: port, extraArguments: ["--enable-debug-command", "yes"])
        var configuration = try RedisConfiguration(url: server.url)
        configuration.commandTimeout = .seconds(3)
        let client = RedisClient(configuration: configuration)
        defer { client.shutdown() }
        #expect(try await client.send("SET", "k", "v") == .simpleString("OK"))

        // A blocked command and one in flight when the server dies: DEBUG SLEEP holds the reply.
        let blocked = Task { try await client.blockingSend(["BLPOP", "nothing", "20"], blockFor: .seconds(20)) }
        try await TestRedis.waitUntilBlocked(in: "blpop", moreThan: 0, via: client)
        let inFlight = Task { try await client.send("DEBUG", "SLEEP", "2") }
        // The server sleeps once a PING on another connection goes unanswered.
        var probeConfiguration = try RedisConfiguration(url: server.url)
        probeConfiguration.commandTimeout = .milliseconds(100)
        let probe = RedisClient(configuration: probeConfiguration)
        defer { probe.shutdown() }
        while (try? await probe.send("PING")) != nil {}
        let killedAt = ContinuousClock.now
        server.kill()
        for task in [inFlight, blocked] {
            do {
                _ = try await task.value
                Issue.record("a command survived the server's death")
            } catch let error as RedisError {
                #expect(error.code == .connectionFailed || error.code == .closed)
            }
        }
        #expect(ContinuousClock.now - killedAt < .seconds(3))
        // While the server is down: a clear error, fast.
        do {
            try await client.send("PING")
            Issue.record("PING succeeded with the server down")
        } catch {
            #expect(error.code == .connectionRefused)
        }
        server = try RedisServerProcess(port: port)
        defer { server.stop() }
        // The client reconnects by itself in the background (within the capped backoff).
        try await eventually(within: .seconds(3)) { try await client.send("PING") == .simpleString("PONG") }
        #expect(try await client.blockingSend(["BLPOP", "nothing", "1"], blockFor: .seconds(1)) == .null)
    }
}

extension RedisFailureTests {
    @Test func withNoServerCommandsFailAtOnceAndTheClientReconnectsInTheBackground() async throws {
        let port = try FreePort.find()
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(port)")
        configuration.maximumReconnectDelay = .milliseconds(200)
        let client = RedisClient(configuration: configuration)
        defer { client.shutdown() }
        await #expect(throws: RedisError.self) { try await client.send("PING") }
        // Down: every caller gets the error at once instead of waiting through the backoff.
        let started = ContinuousClock.now
        for _ in 0..<50 {
            do {
                try await client.send("PING")
                Issue.record("PING succeeded with no server")
            } catch {
                #expect(error.code == .connectionRefused)
            }
        }
        #expect(ContinuousClock.now - started < .milliseconds(100), "50 commands while down took \(ContinuousClock.now - started)")
        let server = try RedisServerProcess(port: port)
        defer { server.stop() }
        try await eventually(within: .seconds(3)) { try await client.send("PING") == .simpleString("PONG") }
    }

    @Test func aLoadingServerIsRetriedBrieflyThenReportedAsAnError() async throws {
        // A dataset that takes seconds to load: 10,000 keys at 300 µs each (`key-load-delay`).
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-loading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try FreePort.find()
        let arguments = ["--dir", directory.path, "--dbfilename", "dump.rdb"]
        var server = try RedisServerProcess(port: port, extraArguments: arguments)
        var configuration = try RedisConfiguration(url: server.url)
        configuration.transientErrorRetryTime = .milliseconds(300)
        let client = RedisClient(configuration: configuration)
        defer { client.shutdown() }
        for batch in 0..<10 {
            _ = try await client.pipeline((0..<1000).map { ["SET", RedisArgument("key:\(batch):\($0)"), "value"] })
        }
        try await client.send("SAVE")
        server.kill()
        server = try RedisServerProcess(
            port: port, extraArguments: arguments + ["--key-load-delay", "300", "--loading-process-events-interval-bytes", "1024"])
        defer { server.stop() }

        let started = ContinuousClock.now
        do {
            let reply = try await client.send("GET", "key:0:0")
            Issue.record("a loading server answered \(reply)")
        } catch {
            #expect(error.serverErrorPrefix == "LOADING", "\(error)")
            #expect(error.isTransient)
        }
        #expect(ContinuousClock.now - started >= .milliseconds(250), "LOADING is retried for the configured time first")
        do {
            _ = try await client.pipeline([["DBSIZE"], ["GET", "key:0:1"]])
            Issue.record("a pipeline against a loading server returned replies")
        } catch {
            #expect(error.serverErrorPrefix == "LOADING")
        }
        // A longer retry time rides the loading out.
        var patient = configuration
        patient.transientErrorRetryTime = .seconds(30)
        let waiting = RedisClient(configuration: patient)
        defer { waiting.shutdown() }
        #expect(try await waiting.send("GET", "key:9:999").string == "value")
    }
}

/// Runs `condition` until it returns `true` (errors count as `false`), failing after `within`.
func eventually(within limit: Duration, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("condition not met within \(limit)")
}

/// A loopback socket that listens but never accepts nor answers.
final class SilentListener: Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard ok else { throw TestSupportError("could not open a silent listener") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
}
