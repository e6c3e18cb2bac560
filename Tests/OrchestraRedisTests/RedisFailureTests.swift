import Foundation
import OrchestraRedis
import OrchestraTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Failures: a clear error within the timeout, then recovery", .serialized)
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

        // A command in flight when the server dies: DEBUG SLEEP holds the reply.
        let inFlight = Task { try await client.send("DEBUG", "SLEEP", "2") }
        let blocked = Task { try await client.blockingSend(["BLPOP", "nothing", "20"], blockFor: .seconds(20)) }
        try await Task.sleep(for: .milliseconds(200))
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
        // The next command after the server is back succeeds without a new client
        // (it may wait out at most the capped reconnect backoff).
        #expect(try await client.send("PING") == .simpleString("PONG"))
        #expect(try await client.blockingSend(["BLPOP", "nothing", "1"], blockFor: .seconds(1)) == .null)
    }
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
