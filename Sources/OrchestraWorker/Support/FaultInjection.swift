#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// TEST HOOKS for end-to-end crash tests. Never set these in production.
///
/// - `ORCHESTRA_FAULT_EXIT_AFTER_ANSWER=1`: the worker process exits at once with status 137 (as
///   if killed with SIGKILL) right after it stored a provider's answer and before it acknowledged
///   the task, so a test can check that the redelivered task reuses the stored answer instead of
///   calling the provider again (at-most-once billing, DESIGN §3.7).
public enum FaultInjection {
    /// The environment variable of the exit-after-answer hook.
    public static let exitAfterAnswerVariable = "ORCHESTRA_FAULT_EXIT_AFTER_ANSWER"

    /// Whether the exit-after-answer hook is set in this process's environment.
    public static var isExitAfterAnswerEnabled: Bool {
        guard let value = getenv(exitAfterAnswerVariable) else { return false }
        return String(cString: value) == "1"
    }

    /// Ends the process like `kill -9` would: no cleanup, no acknowledgement.
    static func exitAfterAnswerStored() -> Never {
        _exit(137)
    }
}
