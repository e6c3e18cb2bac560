import Logging
import OrchestraCore
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler

extension TaskExecutor {
    /// Stores the answer before acknowledging (at-most-once billing). `false` when the task was
    /// stopped or its lease is gone: then nothing more is written.
    func store(_ running: RunningTask, _ answer: TaskAnswer) async -> Bool {
        guard running.beginWrite() else { return false }
        defer { running.endWrite() }
        do {
            let stored = try await Self.retryingTransientErrors { () async throws(RedisError) -> Bool in
                try await queue.storeAnswer(running.task, answerJSON: answer.resultJSON)
            }
            if !stored {
                logger.debug("answer not stored: lease lost", metadata: ["task": "\(running.ref)"])
                return false
            }
        } catch {
            logger.warning("could not store answer", metadata: ["task": "\(running.ref)", "error": "\(error)"])
            return false
        }
        if exitAfterAnswerStored { FaultInjection.exitAfterAnswerStored() }
        return true
    }

    /// Acknowledges the task with its answer; releases dependents and counts usage.
    func complete(_ running: RunningTask, _ answer: TaskAnswer, resultJSON: String? = nil, output: String? = nil) async {
        guard !Task.isCancelled, running.beginWrite() else { return }
        defer { running.endWrite(finishing: true) }
        do {
            let outcome = try await Self.retryingTransientErrors { () async throws(RedisError) -> AcknowledgeOutcome in
                try await queue.complete(
                    running.task, resultJSON: resultJSON ?? answer.resultJSON, output: output ?? answer.output,
                    promptTokens: answer.usage?.promptTokens ?? 0, completionTokens: answer.usage?.completionTokens ?? 0,
                    provider: answer.provider, model: answer.model)
            }
            if outcome != .ok {
                logger.debug("completion not recorded", metadata: ["task": "\(running.ref)", "outcome": "\(outcome)"])
            }
        } catch {
            logger.warning("could not record completion", metadata: ["task": "\(running.ref)", "error": "\(error)"])
        }
    }

    /// Records a failed attempt: retried after the decision's delay while attempts are left, or
    /// final (dependents fail too).
    func fail(_ running: RunningTask, error: any Error, decision: RetryDecision) async {
        guard !Task.isCancelled, running.beginWrite() else { return }
        defer { running.endWrite(finishing: true) }
        let message = Self.message(for: error)
        let retryAfter: Duration?
        let refund: Bool
        switch decision {
        case .retry(let after, let refundAttempt):
            retryAfter = after
            refund = refundAttempt
        case .fail:
            retryAfter = nil
            refund = false
        }
        do {
            let outcome = try await Self.retryingTransientErrors { () async throws(RedisError) -> AcknowledgeOutcome in
                try await queue.fail(
                    running.task, error: message, retryAfter: retryAfter, refundAttempt: refund,
                    maximumRefunds: retryPolicy.maximumRateLimitRefunds)
            }
            logger.debug(
                "attempt failed",
                metadata: ["task": "\(running.ref)", "attempt": "\(running.task.attempts)", "outcome": "\(outcome)", "error": "\(message)"])
        } catch {
            logger.warning("could not record failure", metadata: ["task": "\(running.ref)", "error": "\(error)"])
        }
    }

    /// Runs a fenced (so repeatable) write again after a lost connection or a timeout, a few
    /// times; other errors are thrown at once.
    static func retryingTransientErrors<T: Sendable>(
        _ write: () async throws(RedisError) -> T
    ) async throws(RedisError) -> T {
        var attempt = 0
        while true {
            do {
                return try await write()
            } catch {
                attempt += 1
                let transient = error.code == .connectionFailed || error.code == .connectionRefused || error.code == .timeout
                guard transient, attempt < 3, !Task.isCancelled else { throw error }
                try? await Task.sleep(for: .milliseconds(50 * attempt))
            }
        }
    }
}
