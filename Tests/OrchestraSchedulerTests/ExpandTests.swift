import Foundation
import OrchestraAPI
import OrchestraAgents
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Testing

@Suite("Coordinator delegation: expanding a workflow against a real redis-server", .timeLimit(.minutes(5)))
struct ExpandTests {
    static let planOutput = """
        Plan follows.
        ```json
        {"subtasks": [
          {"agent_id": "ui", "agent_role": "frontend", "task": "Build the form", "depends_on": []},
          {"agent_id": "api", "agent_role": "backend", "task": "Build the endpoint", "depends_on": []},
          {"agent_id": "tests", "agent_role": "qa", "task": "Test both", "depends_on": ["ui", "api"]}],
         "synthesis": "Merge everything"}
        ```
        """

    /// Submits a validated request the way the gateway does (plan, options, depends_on).
    private func submit(_ request: WorkflowRequest, id: String, on fixture: SchedulerFixture) async throws {
        let submission = WorkflowSubmission(request: request, plan: WorkflowPlan(request: request, workflowId: id), defaultMaxAttempts: 3)
        #expect(try await fixture.store.submit(submission) != .alreadyExists)
    }

    /// What the worker does with a delegating task's answer: parse the plan, build the submissions.
    private func submissions(for claimed: ClaimedTask, output: String, queue: TaskQueue) async throws -> (CoordinatorPlan, [TaskSubmission])
    {
        let existing = try await queue.agentIDs(ofWorkflow: claimed.workflowID)
        let plan = try CoordinatorPlan.parse(output: output, coordinatorAgentId: claimed.agentID, existingAgentIds: Set(existing))
        let objective = try JSONValue.parse(Data(claimed.inputJSON.utf8))["task"]?.stringValue
        let delegated = plan.delegatedTasks(
            coordinatorAgentId: claimed.agentID, objective: objective, coordinatorOptions: claimed.options)
        let submissions = delegated.map {
            TaskSubmission(
                agentID: $0.agentId, role: $0.agentRole, inputJSON: $0.inputJSON, options: $0.options,
                dependencies: $0.dependencies, dependsOnJSON: $0.dependsOnJSON, maxAttempts: claimed.maxAttempts)
        }
        return (plan, submissions)
    }

    static func answer(_ text: String) -> TaskQueue.Completion {
        .answer(TaskAnswer(output: text, provider: "echo", model: "echo"))
    }

    @Test func aDelegatingCoordinatorRunsItsPlanThenTheSynthesisThenItsDependents() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        let coordinator = try AgentFactory.makeAgent(role: "coordinator", agentId: "lead", llmModel: "echo")
        let report = try AgentFactory.makeAgent(role: "qa", agentId: "report")
        let request = WorkflowRequest(
            workflowType: .sequential, tasks: [coordinator.task("Ship checkout", delegate: true), report.task("Report on it")])
        try await submit(request, id: "d1", on: fixture)

        let claimed = try #require(try await fixture.claim(queue))
        #expect(claimed.index == 0 && claimed.options.delegate)
        #expect(try await queue.agentIDs(ofWorkflow: "d1") == ["lead", "report"])
        let (plan, subtasks) = try await submissions(for: claimed, output: Self.planOutput, queue: queue)
        #expect(try await queue.expand(claimed, subtasks: subtasks) == .expanded(firstIndex: 2, count: 4))
        #expect(try await queue.expand(claimed, subtasks: subtasks) == .alreadyExpanded(firstIndex: 2, count: 4))
        #expect(try await fixture.readyRefs().isEmpty, "nothing runs before the coordinator completes")
        #expect(try await queue.complete(claimed, Self.answer(plan.summary(coordinatorAgentId: "lead"))) == .ok)

        var order: [String] = []
        var seen: [String: [DependencyOutput]] = [:]
        while let task = try await fixture.claim(queue) {
            order.append(task.agentID)
            seen[task.agentID] = task.dependencies
            #expect(try await queue.complete(task, Self.answer("out of \(task.agentID)")) == .ok)
        }
        #expect(order == ["ui", "api", "tests", "lead-synthesis", "report"])
        #expect(seen["ui"]?.map(\.agentID) == ["lead"])
        #expect(seen["ui"]?.first?.output.hasPrefix("Delegated to 3 agents:") == true)
        #expect(
            seen["tests"] == [DependencyOutput(agentID: "ui", output: "out of ui"), DependencyOutput(agentID: "api", output: "out of api")])
        #expect(seen["lead-synthesis"]?.map(\.agentID) == ["ui", "api", "tests"])
        #expect(seen["report"] == [DependencyOutput(agentID: "lead-synthesis", output: "out of lead-synthesis")])

        let stored = try #require(try await fixture.store.workflow("d1"))
        #expect(stored.status == "completed")
        #expect(stored.tasks.map(\.agentID) == ["lead", "report", "ui", "api", "tests", "lead-synthesis"])
        #expect(stored.tasks.map(\.role) == ["coordinator", "qa", "frontend", "backend", "qa", "coordinator"])
        #expect(stored.tasks.allSatisfy { $0.status == "completed" })
        #expect(stored.tasks.map(\.dependsOnJSON) == [nil, nil, #"["lead"]"#, #"["lead"]"#, #"["ui","api"]"#, #"["ui","api","tests"]"#])
        #expect(try await fixture.store.activeCount() == 0)
    }

    @Test func aRedeliveredCoordinatorDoesNotExpandTwice() async throws {
        let fixture = try SchedulerFixture()
        let dead = fixture.queue(worker: "dead", lease: .milliseconds(300))
        let alive = fixture.queue(worker: "alive", lease: .seconds(10))
        try await submit(try WorkflowPatterns.coordinatorSupervised(objective: "Ship checkout"), id: "d2", on: fixture)

        let first = try #require(try await fixture.claim(dead))
        let (_, subtasks) = try await submissions(for: first, output: Self.planOutput, queue: dead)
        #expect(try await dead.expand(first, subtasks: subtasks) == .expanded(firstIndex: 1, count: 4))
        // The worker dies before completing; the lease expires and the task is claimed again.
        try await fixture.reapUntil(alive) { $0.requeued == 1 }
        let second = try #require(try await fixture.claim(alive))
        #expect(second.index == 0 && second.epoch == first.epoch + 1)
        #expect(try await dead.expand(first, subtasks: subtasks) == .stale, "the stale claim is fenced")
        #expect(try await alive.expand(second, subtasks: subtasks) == .alreadyExpanded(firstIndex: 1, count: 4))
        #expect(try await alive.complete(second, Self.answer("plan")) == .ok)

        var order: [String] = []
        while let task = try await fixture.claim(alive) {
            order.append(task.agentID)
            #expect(try await alive.complete(task, Self.answer(task.agentID)) == .ok)
        }
        #expect(order == ["ui", "api", "tests", "coordinator-synthesis"])
        let stored = try #require(try await fixture.store.workflow("d2"))
        #expect(stored.tasks.count == 5)
        #expect(stored.status == "completed")
    }

    @Test func aStaleOrGoneCoordinatorChangesNothing() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w", lease: .milliseconds(300))
        try await submit(try WorkflowPatterns.coordinatorSupervised(objective: "Ship"), id: "d3", on: fixture)
        let stale = try #require(try await fixture.claim(queue))
        let (_, subtasks) = try await submissions(for: stale, output: Self.planOutput, queue: queue)
        try await fixture.reapUntil(queue) { $0.requeued == 1 }
        let fresh = try #require(try await fixture.claim(queue))
        var wrongEpoch = fresh
        wrongEpoch.epoch += 1
        #expect(try await queue.expand(stale, subtasks: subtasks) == .stale)
        #expect(try await queue.expand(wrongEpoch, subtasks: subtasks) == .stale)
        #expect(try await fixture.store.workflow("d3")?.tasks.count == 1)

        #expect(try await fixture.store.cancel("d3"))
        #expect(try await queue.expand(fresh, subtasks: subtasks) == .gone)
        #expect(try await fixture.store.workflow("d3") == nil)
    }

    @Test func conflictingOrMalformedExpansionsWriteNothing() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        let request = try WorkflowValidator().validate(
            [
                "workflow_type": "parallel",
                "tasks": [
                    ["agent_id": "lead", "agent_role": "coordinator", "input_data": ["task": "Ship"], "delegate": true],
                    ["agent_id": "ui", "agent_role": "frontend", "input_data": ["task": "Existing UI work"]],
                ],
            ])
        try await submit(request, id: "d4", on: fixture)
        let claimed = try #require(try await fixture.claim(queue))
        #expect(claimed.agentID == "lead")
        // The worker's parse catches the clash with the existing "ui"...
        #expect(throws: CoordinatorPlanError.self) { try CoordinatorPlan.parse(output: Self.planOutput, existingAgentIds: ["lead", "ui"]) }
        // ...and the script checks it again atomically.
        let plan = try CoordinatorPlan.parse(output: Self.planOutput)
        let subtasks = plan.delegatedTasks(coordinatorAgentId: "lead", objective: nil, coordinatorOptions: TaskOptions()).map {
            TaskSubmission(
                agentID: $0.agentId, role: $0.agentRole, inputJSON: $0.inputJSON, options: $0.options,
                dependencies: $0.dependencies, dependsOnJSON: $0.dependsOnJSON, maxAttempts: 2)
        }
        #expect(try await queue.expand(claimed, subtasks: subtasks) == .conflict(agentID: "ui"))
        var forward = subtasks
        forward[0].dependencies = [1]
        if case .invalid(let reason) = try await queue.expand(claimed, subtasks: forward) {
            #expect(reason.contains("'ui'") && reason.contains("not an earlier subtask"))
        } else {
            Issue.record("expected .invalid")
        }
        #expect(try await queue.expand(claimed, subtasks: []) == .invalid("no subtasks to add"))
        let stored = try #require(try await fixture.store.workflow("d4"))
        #expect(stored.tasks.count == 2)
        #expect(try await queue.complete(claimed, Self.answer("no plan")) == .ok)
    }

    @Test func aBadPlanFailsTheCoordinatorAndItsDependents() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        let request = WorkflowRequest(
            workflowType: .graph,
            tasks: [
                AgentTask(agentId: "lead", agentRole: "coordinator", inputData: ["task": "Ship"], options: TaskOptions(delegate: true)),
                AgentTask(agentId: "after", agentRole: "qa", inputData: ["task": "Check"], dependsOn: ["lead"]),
            ])
        try await submit(request, id: "d5", on: fixture)
        let claimed = try #require(try await fixture.claim(queue))
        let output = #"{"subtasks": [{"agent_id": "a", "agent_role": "qa", "task": "t", "depends_on": ["x"]}]}"#
        do {
            _ = try CoordinatorPlan.parse(output: output, coordinatorAgentId: claimed.agentID)
            Issue.record("expected a plan error")
        } catch {
            #expect(try await queue.fail(claimed, error: error.description, retryAfter: nil) == .failed)
        }
        let stored = try #require(try await fixture.store.workflow("d5"))
        #expect(stored.status == "failed")
        #expect(stored.tasks.map(\.error) == ["plan subtask 1: depends_on 'x' is not a subtask of the plan", "dependency 'lead' failed"])
    }

    @Test func aFailedSubtaskFailsTheRestOfThePlanAndTheWorkflowEnds() async throws {
        let fixture = try SchedulerFixture()
        let queue = fixture.queue(worker: "w")
        try await submit(try WorkflowPatterns.coordinatorSupervised(objective: "Ship"), id: "d6", on: fixture)
        let claimed = try #require(try await fixture.claim(queue))
        let (_, subtasks) = try await submissions(for: claimed, output: Self.planOutput, queue: queue)
        #expect(try await queue.expand(claimed, subtasks: subtasks) == .expanded(firstIndex: 1, count: 4))
        #expect(try await queue.complete(claimed, Self.answer("plan")) == .ok)
        let ui = try #require(try await fixture.claim(queue))
        let api = try #require(try await fixture.claim(queue))
        #expect(try await queue.fail(ui, error: "provider said no", retryAfter: nil) == .failed)
        #expect(try await fixture.store.workflow("d6")?.status == "running")
        #expect(try await queue.complete(api, Self.answer("api")) == .ok)
        #expect(try await fixture.claim(queue) == nil)
        let stored = try #require(try await fixture.store.workflow("d6"))
        #expect(stored.status == "partial")
        #expect(stored.tasks.map(\.status) == ["completed", "failed", "completed", "failed", "failed"])
        #expect(stored.tasks[3].error == "dependency 'ui' failed")
        #expect(stored.tasks[4].error == "dependency 'ui' failed", "the synthesis depends on every subtask directly")
    }
}
