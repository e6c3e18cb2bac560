import OrchestraConcurrency
import OrchestraProviders

/// The provider call of one attempt, raced against the task being stopped (cancelled workflow,
/// lost lease, shutdown hand-back). Providers bound the call by the attempt's timeout themselves.
enum ProviderCall {
    /// How the call ended.
    enum Outcome: Sendable {
        /// The provider answered.
        case answered(LLMResponse)
        /// The call failed (a ``ProviderError`` for the provider's failures and timeouts).
        case failed(any Error)
        /// The task was stopped or the worker cancelled: write nothing.
        case stopped
    }

    /// Runs `call` until it returns, `running` is stopped, or the calling task is cancelled.
    static func run(
        until running: RunningTask,
        _ call: @escaping @Sendable () async throws -> LLMResponse
    ) async -> Outcome {
        await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    return .answered(try await call())
                } catch {
                    return .failed(error)
                }
            }
            group.addTask {
                await running.waitUntilStopped()
                return Task.isCancelled ? nil : .stopped
            }
            defer { group.cancelAll() }
            while let next = await group.next() {
                guard let outcome = next else { continue }
                if case .failed(let error) = outcome, error is CancellationError || Task.isCancelled { return .stopped }
                return outcome
            }
            return .stopped
        }
    }
}
