#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// TEST HOOK: with `ORCHESTRA_EXIT_WITH_PARENT=1` the process exits (status 137, as if killed) once
/// the process that started it is gone, so gateways and workers a test started never outlive a
/// test run that crashed or was killed. It watches its parent id (`PR_SET_PDEATHSIG` would follow
/// the parent's *thread*, and a test runner's threads come and go).
enum ParentDeath {
    /// The environment variable of the hook.
    static let variable = "ORCHESTRA_EXIT_WITH_PARENT"

    /// Starts watching when the variable is set.
    static func armIfRequested() {
        guard let value = getenv(variable), String(cString: value) == "1" else { return }
        let parent = getppid()
        Task.detached {
            while getppid() == parent {
                try? await Task.sleep(for: .milliseconds(500))
            }
            _exit(137)
        }
    }
}
