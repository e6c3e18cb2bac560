/// Admission control around provider calls: the worker runs every LLM call inside
/// ``withPermit(provider:_:)``, which may wait (cluster-wide concurrency or requests-per-minute
/// limits) before running `body`, and releases what it took afterwards, also when `body` throws.
public protocol ProviderCallGate: Sendable {
    /// Runs `body` once `provider` (e.g. `openai`) admits one more call.
    func withPermit<T: Sendable>(provider: String, _ body: @Sendable () async throws -> T) async throws -> T
}

/// A gate that admits every call at once (no limits configured).
public struct UnlimitedProviderGate: ProviderCallGate {
    /// Creates the gate.
    public init() {}

    /// Runs `body` immediately.
    public func withPermit<T: Sendable>(provider: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await body()
    }
}
