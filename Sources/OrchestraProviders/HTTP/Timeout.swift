/// Runs `operation`, failing with ``ProviderError/Code/timeout`` when it takes longer than `timeout`.
///
/// AsyncHTTPClient's deadline only covers the response head; a server that sends its head and then
/// stalls the body would hang past it. Racing the whole exchange against a sleep bounds both, and the
/// loser is cancelled (AsyncHTTPClient closes the connection of a cancelled request). If the caller's
/// own task is cancelled, `CancellationError` wins over the timeout.
func withProviderTimeout<Result: Sendable>(
    _ timeout: Duration,
    provider: String,
    operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    do {
        return try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TimeoutExpired()
            }
            defer { group.cancelAll() }
            guard let result = try await group.next() else { throw TimeoutExpired() }
            return result
        }
    } catch is TimeoutExpired {
        try Task.checkCancellation()
        throw ProviderError(.timeout, provider: provider, message: "no complete answer within \(timeout)")
    }
}

private struct TimeoutExpired: Error {}
