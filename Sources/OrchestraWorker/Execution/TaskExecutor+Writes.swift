import Logging
import OrchestraAPI
import OrchestraMetrics
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler

extension TaskExecutor {
    /// Stores the answer before acknowledging (at-most-once billing). `false` when the task was
    /// stopped or its claim is no longer this worker's: then nothing more is written.
    func store(_ running: RunningTask, _ answer: TaskAnswer) async -> Bool {
        guard running.beginWrite() else { return false }
        defer { running.endWrite() }
        do {
            let outcome = try await Self.whileLeased(running) { () async throws(RedisError) -> AcknowledgeOutcome in
                try await queue.storeAnswer(running.task, answer)
            }
            guard outcome == .ok else {
                logger.debug("answer not stored", metadata: ["task": "\(running.ref)", "outcome": "\(outcome)"])
                return false
            }
        } catch {
            logger.warning("could not store answer", metadata: ["task": "\(running.ref)", "error": "\(error)"])
            return false
        }
        if exitAfterAnswerStored { FaultInjection.exitAfterAnswerStored() }
        return true
    }

    /// Acknowledges the task with its answer (`stored`: already in Redis, so not sent again);
    /// releases dependents and counts usage.
    func complete(_ running: RunningTask, _ answer: TaskAnswer, stored: Bool, plan: String? = nil) async {
        let completion: TaskQueue.Completion = stored ? .storedAnswer : .answer(answer)
        guard !Task.isCancelled, running.beginWrite() else { return }
        defer { running.endWrite(finishing: true) }
        do {
            let outcome = try await Self.whileLeased(running) { () async throws(RedisError) -> AcknowledgeOutcome in
                try await queue.complete(running.task, completion, plan: plan)
            }
            if outcome == .ok {
                metrics.completed(provider: answer.provider, model: answer.model, duration: .now - running.claimedAt)
            } else {
                logger.debug("completion not recorded", metadata: ["task": "\(running.ref)", "outcome": "\(outcome)"])
            }
        } catch {
            logger.warning("could not record completion", metadata: ["task": "\(running.ref)", "error": "\(error)"])
        }
    }

    /// Records a failed attempt: retried after the decision's delay while attempts are left, or
    /// final (dependents fail too).
    func fail(
        _ running: RunningTask, error: any Error, decision: RetryDecision, provider: String = "none", model: String = "none"
    ) async {
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
            let outcome = try await Self.whileLeased(running) { () async throws(RedisError) -> AcknowledgeOutcome in
                try await queue.fail(
                    running.task, error: message, retryAfter: retryAfter, refundAttempt: refund,
                    maximumRefunds: retryPolicy.maximumRateLimitRefunds)
            }
            switch outcome {
            case .retry:
                let reason = if case .retry(_, true) = decision { "rate_limit" } else { "error" }
                metrics.retried(provider: provider, model: model, reason: reason)
            case .failed:
                metrics.failed(provider: provider, model: model)
            default:
                break
            }
            logger.debug(
                "attempt failed",
                metadata: ["task": "\(running.ref)", "attempt": "\(running.task.attempt)", "outcome": "\(outcome)", "error": "\(message)"])
        } catch {
            logger.warning("could not record failure", metadata: ["task": "\(running.ref)", "error": "\(error)"])
        }
    }

    /// Runs a fenced write (so safe to repeat) again after transient failures — no connection, a
    /// lost connection, a timeout, `LOADING` — with capped backoff, for as long as the task's lease
    /// could still be this worker's. A Redis blip shorter than the lease thus never throws away a
    /// provider's answer (which would cost a second call once the lease expired). Other errors,
    /// and transient ones once the lease is surely gone, are thrown.
    static func whileLeased<T: Sendable>(
        _ running: RunningTask,
        _ write: () async throws(RedisError) -> T
    ) async throws(RedisError) -> T {
        var pause = Duration.milliseconds(10)
        while true {
            do {
                return try await write()
            } catch {
                let left = running.leaseDeadline - ContinuousClock.now
                guard error.isTransient, left > .zero, !Task.isCancelled else { throw error }
                try? await Task.sleep(for: min(pause, left))
                pause = min(pause * 2, .milliseconds(500))
            }
        }
    }
}
