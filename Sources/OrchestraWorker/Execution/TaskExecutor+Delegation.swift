import Foundation
import Logging
import OrchestraAPI
import OrchestraAgents
import OrchestraRedis
import OrchestraScheduler

/// A delegating task's plan could not be added to its workflow.
struct DelegationError: Error, CustomStringConvertible {
    var description: String
}

extension TaskExecutor {
    /// A delegating (coordinator) task's answer is a plan: its subtasks and a synthesis step become
    /// real tasks of the workflow (one fenced, idempotent call), then the task completes — its
    /// output the plan's summary, the plan kept with its result — and releases the plan's first
    /// tasks. A bad plan fails the task at once with what is wrong.
    func delegate(_ running: RunningTask, _ answer: TaskAnswer) async {
        let task = running.task
        let plan: CoordinatorPlan
        do {
            // Clashes with the workflow's ids are checked by the expand call, atomically; a
            // redelivered task whose plan was already added finds its own ids there.
            plan = try CoordinatorPlan.parse(output: answer.output, coordinatorAgentId: task.agentID)
        } catch {
            await fail(running, error: error, decision: .fail)
            return
        }
        let objective = (try? JSONValue.parse(task.inputJSON, maxDepth: JSONValue.maximumDepthLimit))?["task"]?.stringValue
        let subtasks = plan.delegatedTasks(coordinatorAgentId: task.agentID, objective: objective, coordinatorOptions: task.options).map {
            TaskSubmission(
                agentID: $0.agentId, role: $0.agentRole, inputJSON: $0.inputJSON, options: $0.options,
                dependencies: $0.dependencies, dependsOnJSON: $0.dependsOnJSON, maxAttempts: task.maxAttempts)
        }
        let outcome: ExpandOutcome
        do {
            outcome = try await Self.whileLeased(running) { () async throws(RedisError) -> ExpandOutcome in
                try await queue.expand(task, subtasks: subtasks)
            }
        } catch {
            logger.warning("could not add the plan", metadata: ["task": "\(running.ref)", "error": "\(error)"])
            return  // the lease runs out and the task is redelivered with its stored answer
        }
        switch outcome {
        case .expanded, .alreadyExpanded:
            var summary = answer
            summary.output = plan.summary(coordinatorAgentId: task.agentID)
            await complete(running, summary, stored: false, plan: plan.jsonValue.compactJSONString)
        case .conflict(let agentID):
            await fail(
                running, error: DelegationError(description: "the plan's agent_id '\(agentID)' is already used in this workflow"),
                decision: .fail)
        case .invalid(let reason):
            await fail(running, error: DelegationError(description: "the plan is invalid: \(reason)"), decision: .fail)
        case .stale, .gone:
            logger.debug("plan not added", metadata: ["task": "\(running.ref)", "outcome": "\(outcome)"])
        }
    }
}
