import OrchestraAPI
import Testing

@Suite struct WorkflowPlanTests {
    private func request(_ type: String, _ tasks: [JSONValue], workflowId: String? = nil) throws -> WorkflowRequest {
        try WorkflowValidator().validate(Fixture.body(type, tasks, extra: workflowId.map { ["workflow_id": .string($0)] } ?? [:]))
    }

    @Test func sequentialChainsByPosition() throws {
        let plan = WorkflowPlan(
            request: try request("sequential", [Fixture.task("x"), Fixture.task("y"), Fixture.task("z", dependsOn: ["y"])]),
            generateWorkflowId: { "wf" })
        #expect(plan.workflowId == "wf")
        #expect(plan.tasks.map(\.taskId) == ["wf-task-0", "wf-task-1", "wf-task-2"])
        #expect(plan.tasks.map(\.dependencies) == [[], [0], [1]])
        #expect(plan.tasks.map(\.dependents) == [[1], [2], []])
        #expect(plan.roots == [0])
    }

    @Test func parallelHasOnlyRoots() throws {
        let plan = WorkflowPlan(
            request: try request("parallel", [Fixture.task("a"), Fixture.task("b"), Fixture.task("c")]), workflowId: "p")
        #expect(plan.roots == [0, 1, 2])
        #expect(plan.tasks.allSatisfy { $0.dependencies.isEmpty && $0.dependents.isEmpty && $0.isRoot })
        #expect(plan.workflowType == .parallel)
    }

    @Test func graphMapsIdsToIndicesAndDropsRepeats() throws {
        let tasks = [
            Fixture.task("4", dependsOn: ["3"]), Fixture.task("1"), Fixture.task("2"), Fixture.task("3", dependsOn: ["1", "2", "1"]),
        ]
        let plan = WorkflowPlan(
            request: try request("graph", tasks, workflowId: "g"),
            generateWorkflowId: {
                Issue.record("must not generate"); return ""
            })
        #expect(plan.workflowId == "g")
        #expect(plan.tasks.map(\.agentId) == ["4", "1", "2", "3"])
        #expect(plan.tasks.map(\.dependencies) == [[3], [], [], [1, 2]])
        #expect(plan.tasks.map(\.dependents) == [[], [3], [3], [0]])
        #expect(plan.roots == [1, 2])
        #expect(WorkflowPlan.taskId(workflowId: "g", index: 12) == "g-task-12")
    }

    @Test func generatedWorkflowIdIsALowercaseUUIDv4() throws {
        let plan = WorkflowPlan(request: try request("parallel", [Fixture.task("a")]))
        let id = plan.workflowId
        #expect(id.count == 36)
        #expect(id == id.lowercased())
        #expect(Array(id)[14] == "4")
        #expect(IdentifierSyntax.isValid(id))
    }
}
