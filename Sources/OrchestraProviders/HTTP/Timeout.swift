import OrchestraConcurrency

/// Runs `operation`, failing with ``ProviderError/Code/timeout`` when it takes longer than `timeout`.
///
/// AsyncHTTPClient's deadline only covers the response head; a server that sends its head and then
/// stalls the body would hang past it. Bounding the whole exchange covers both, and a timed-out
/// exchange is cancelled (AsyncHTTPClient closes the connection of a cancelled request). If the
/// caller's own task is cancelled, `CancellationError` wins over the timeout.
func withProviderTimeout<Result: Sendable>(
    _ timeout: Duration,
    provider: String,
    operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    guard let result = try await withTimeLimit(timeout, operation: operation) else {
        throw ProviderError(.timeout, provider: provider, message: "no complete answer within \(timeout)")
    }
    return result
}
