import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private `redis-server` on a free loopback port, for tests. Stopped by its pid.
public final class RedisServerProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched by `start` (before sharing) and `stop`/`kill`,
    // which Foundation's Process makes safe to call from any thread.
    public let port: Int
    public let password: String?
    private let process: Process

    /// Starts `redis-server` (from PATH or REDIS_SERVER_BIN) and waits until it accepts connections.
    public init(port: Int? = nil, password: String? = nil, extraArguments: [String] = []) throws {
        self.port = try port ?? FreePort.find()
        self.password = password
        let binary = ProcessInfo.processInfo.environment["REDIS_SERVER_BIN"] ?? "redis-server"
        var arguments = [
            "--port", String(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--protected-mode", "no", "--loglevel", "warning",
        ]
        if let password { arguments += ["--requirepass", password] }
        arguments += extraArguments
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [binary] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try waitUntilListening()
    }

    /// `redis://[:password@]127.0.0.1:port`.
    public var url: String {
        if let password { return "redis://:\(password)@127.0.0.1:\(port)" }
        return "redis://127.0.0.1:\(port)"
    }

    /// The server's pid.
    public var pid: Int32 { process.processIdentifier }

    /// Sends SIGKILL (a crash) and waits for the process to end.
    public func kill() {
        signal(SIGKILL)
    }

    /// Stops the server and waits for the process to end. SIGKILL too: the server keeps nothing,
    /// and Foundation's `Process` passes on the spawning thread's signal mask, in which Swift's
    /// runtime threads block SIGTERM — a SIGTERM would only wait out the 5 s grace.
    public func stop() {
        signal(SIGKILL)
    }

    /// Signals the server by its pid and polls until it has exited. Polling (rather than
    /// `waitUntilExit`) works from `atexit`, when Foundation's run loops are gone.
    private func signal(_ signal: Int32) {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, signal)
        for _ in 0..<500 where process.isRunning { usleep(10_000) }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<100 where process.isRunning { usleep(10_000) }
    }

    private func waitUntilListening() throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if FreePort.isListening(port: port) { return }
            if !process.isRunning { throw TestSupportError("redis-server exited at start (is it installed?)") }
            usleep(20_000)
        }
        stop()
        throw TestSupportError("redis-server did not listen on port \(port) within 10 s")
    }

    deinit { stop() }
}

/// An error of the test tooling.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
