import Foundation
import Logging
import OrchestraAPI
import OrchestraAgents
import OrchestraMetrics
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler
import Synchronization

/// Runs one claimed task: builds the agent's prompt, calls the provider (or reuses an answer an
/// earlier attempt stored) streaming its text as `task.token` events, and writes the outcome back —
/// completion, a retry, or a failure.
/// Writes nothing for a task that was stopped (cancelled workflow, lost lease, shutdown).
struct TaskExecutor: Sendable {
    let queue: TaskQueue
    let providers: ProviderRegistry
    let gate: any ProviderCallGate
    let prompts: AgentPrompts
    /// `TASK_TIMEOUT_SECONDS`: the attempt's timeout when the task gives none.
    let defaultTimeoutSeconds: Double
    let retryPolicy: RetryPolicy
    /// Test hook ``FaultInjection/exitAfterAnswerStored``.
    let exitAfterAnswerStored: Bool
    /// Where streamed text goes as `task.token` events, and how it is coalesced.
    let tokens: TokenEvents
    let metrics: TaskMetrics
    let logger: Logger

    /// A provider request ready to send.
    struct PreparedCall: Sendable {
        var provider: any LLMProvider
        var request: LLMRequest
    }

    func execute(_ running: RunningTask) async {
        let task = running.task
        if let stored = task.storedAnswer {
            // At-most-once billing: an earlier attempt got this answer and died before acknowledging.
            metrics.started(provider: stored.provider, model: stored.model, queueWait: task.queueWait)
            await finish(running, stored, stored: true)
            return
        }
        let prepared: PreparedCall
        do {
            prepared = try await prepare(task)
        } catch let error as RedisError {
            await fail(running, error: error, decision: retryPolicy.decision(forStorageError: error, attempt: task.attempt))
            return
        } catch {
            await fail(running, error: error, decision: .fail)
            return
        }
        let (provider, model) = (prepared.provider.name, prepared.request.model)
        metrics.started(provider: provider, model: model, queueWait: task.queueWait)
        let metrics = self.metrics
        let asked = ContinuousClock.now
        // When the call got its cluster-wide permit: the request's duration starts there, and a
        // wait for the permit longer than a Redis round trip counts as a rate-limit wait.
        let permitted = Mutex<ContinuousClock.Instant?>(nil)
        let outcome = await call(running, prepared) {
            let now = ContinuousClock.now
            permitted.withLock { $0 = now }
            if now - asked > .milliseconds(2) { metrics.rateLimitWait(provider: provider, duration: now - asked) }
        }
        let callStarted = permitted.withLock { $0 } ?? asked
        switch outcome {
        case .stopped:
            return
        case .answered(let response):
            metrics.providerRequest(provider: provider, model: model, statusClass: "2xx", duration: .now - callStarted)
            let answer = TaskAnswer(response)
            metrics.tokens(provider: provider, model: model, prompt: answer.promptTokens, completion: answer.completionTokens)
            // The offline echo provider costs nothing: its answer is not stored separately.
            let stored = prepared.provider.name != "echo"
            if stored {
                guard await store(running, answer) else { return }
            }
            await finish(running, answer, stored: stored)
        case .failed(let error):
            let statusClass = Self.statusClass(of: error)
            metrics.providerRequest(provider: provider, model: model, statusClass: statusClass, duration: .now - callStarted)
            let decision = retryPolicy.decision(for: error, attempt: task.attempt)
            await fail(running, error: error, decision: decision, provider: provider, model: model)
        }
    }

    /// How a failed provider call is counted: `429`, `4xx`, `5xx`, `timeout` or `error`.
    static func statusClass(of error: any Error) -> String {
        guard let error = error as? ProviderError else { return "error" }
        if error.code == .timeout { return "timeout" }
        switch error.status {
        case 429?: return "429"
        case let status? where (400..<500).contains(status): return "4xx"
        case let status? where (500..<600).contains(status): return "5xx"
        default: return "error"
        }
    }

    /// Acknowledges an answer (`stored`: it is in Redis already); a delegating task first adds
    /// its plan's tasks to the workflow.
    private func finish(_ running: RunningTask, _ answer: TaskAnswer, stored: Bool) async {
        if running.task.options.delegate {
            await delegate(running, answer)
        } else {
            await complete(running, answer, stored: stored)
        }
    }

    /// The provider and request for `task` (API.md §4 prompt, §5 options).
    func prepare(_ task: ClaimedTask) async throws -> PreparedCall {
        guard let input = (try? JSONValue.parse(task.inputJSON, maxDepth: JSONValue.maximumDepthLimit))?.objectValue else {
            throw TaskInputError("input_data of task '\(task.agentID)' is not a JSON object")
        }
        let options = task.options
        let route = try providers.resolve(model: options.llmModel)
        let dependencies = task.dependencies.map { PromptBuilder.DependencyOutput(agentId: $0.agentID, output: $0.output) }
        let timeoutSeconds = options.timeoutSeconds.flatMap { $0 > 0 ? $0 : nil } ?? defaultTimeoutSeconds
        var systemPrompt = options.systemPrompt ?? prompts.systemPrompt(for: task.role)
        if options.delegate {
            // The plan must not reuse the workflow's agent ids; the model is told which are taken.
            let taken = try await queue.agentIDs(ofWorkflow: task.workflowID)
            systemPrompt = CoordinatorDelegation.systemPrompt(base: systemPrompt, coordinatorAgentId: task.agentID, reservedAgentIds: taken)
        }
        let request = LLMRequest(
            model: route.model,
            systemPrompt: systemPrompt,
            userPrompt: PromptBuilder.userPrompt(inputData: input, dependencies: dependencies),
            temperature: options.temperature,
            maxTokens: options.maxTokens,
            timeout: .seconds(timeoutSeconds),
            agentRole: task.role,
            instruction: input["task"]?.stringValue,
            dependencyIDs: task.dependencies.map(\.agentID),
            agentID: task.agentID,
            responseFormat: options.delegate ? .coordinatorPlan : .text
        )
        return PreparedCall(provider: route.provider, request: request)
    }

    /// The message stored with a failed attempt: the provider's own (keys already redacted).
    static func message(for error: any Error) -> String {
        switch error {
        case let error as ProviderError: error.description
        case let error as ModelRoutingError: error.description
        case let error as TaskInputError: error.description
        case let error as CoordinatorPlanError: error.description
        case let error as DelegationError: error.description
        case let error as RedisError: "could not read the workflow: \(error)"
        default: "unexpected error from the provider (\(type(of: error)))"
        }
    }
}

extension TaskAnswer {
    /// The answer of a provider's response.
    init(_ response: LLMResponse) {
        self.init(
            output: response.text, provider: response.provider, model: response.model,
            promptTokens: response.usage?.promptTokens, completionTokens: response.usage?.completionTokens)
    }
}
