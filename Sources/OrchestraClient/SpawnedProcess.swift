#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A child process started by `posix_spawn` with an empty signal mask and default signal
/// dispositions. Foundation's `Process` hands the spawning thread's mask down, and the threads of
/// Swift's runtime block SIGTERM: a `redis-server` started that way never sees the SIGTERM meant to
/// stop it (its handlers are `sigaction` ones, not a `signalfd`).
final class SpawnedProcess {
    struct SpawnError: Error, CustomStringConvertible {
        var executable: String
        var code: Int32
        var description: String { "could not start \(executable): \(String(cString: strerror(code)))" }
    }

    let pid: pid_t
    /// The exit status (or 128 + the signal that ended it) once the process was reaped.
    private(set) var exitStatus: Int32?

    init(executable: String, arguments: [String], environment: [String: String]) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        // Dispositions set to "ignore" (SIGPIPE, for one) would be inherited too: reset them all.
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let code = posix_spawn(&pid, executable, nil, &attributes, argv, envp)
        guard code == 0 else { throw SpawnError(executable: executable, code: code) }
        self.pid = pid
    }

    /// Whether the process still runs; reaps it (and records its status) once it has exited.
    var isRunning: Bool {
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return true }
        if result == pid {
            // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
            let signal = status & 0x7f
            exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        } else {
            exitStatus = -1  // not our child any more (reaped elsewhere)
        }
        return false
    }

    func signal(_ signal: Int32) {
        guard exitStatus == nil else { return }
        kill(pid, signal)
    }

    /// SIGKILL, then waits for the process to go (a killed process exits at once).
    func killAndReap() {
        guard exitStatus == nil else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        exitStatus = 128 + SIGKILL
    }
}
