import OrchestraAPI
import OrchestraAgents
import Testing

@Suite struct CoordinatorPlanTests {
    static let planJSON = """
        {"subtasks": [
          {"agent_id": "ui", "agent_role": "frontend", "task": "Build the checkout form", "depends_on": []},
          {"agent_id": "api", "agent_role": "backend", "task": "Build the payment endpoint"},
          {"agent_id": "tests", "agent_role": "qa", "task": "Test {the} checkout \\"end to end\\"", "depends_on": ["ui", "api", "ui"]}
        ], "synthesis": "Write one delivery note"}
        """

    static let expected = CoordinatorPlan(
        subtasks: [
            .init(agentId: "ui", agentRole: "frontend", instruction: "Build the checkout form"),
            .init(agentId: "api", agentRole: "backend", instruction: "Build the payment endpoint"),
            .init(agentId: "tests", agentRole: "qa", instruction: "Test {the} checkout \"end to end\"", dependsOn: ["ui", "api"]),
        ],
        synthesis: "Write one delivery note"
    )

    @Test func parsesABareObject() throws {
        #expect(try CoordinatorPlan.parse(output: Self.planJSON) == Self.expected)
    }

    @Test func parsesAFencedBlockAmongProse() throws {
        let output = "Here is my plan {with braces}:\n\n```json\n\(Self.planJSON)\n```\n\nLet me know if it needs {changes}."
        #expect(try CoordinatorPlan.parse(output: output) == Self.expected)
    }

    @Test func parsesAnObjectInsideProseWithoutAFence() throws {
        let output = "Sure {not json}. The plan: \(Self.planJSON) Hope that helps!"
        #expect(try CoordinatorPlan.parse(output: output) == Self.expected)
    }

    @Test func acceptsAliasesDropsCoordinatorSelfReferenceAndAllowsNoSynthesis() throws {
        let output = """
            {"subtasks": [{"id": "a", "role": "backend", "instruction": "Do a", "depends_on": ["lead"]},
                          {"agent_id": "b", "agent_role": "qa", "task": "Check a", "depends_on": ["a"], "extra": 1}],
             "synthesis": null}
            """
        let plan = try CoordinatorPlan.parse(output: output, coordinatorAgentId: "lead")
        #expect(plan.subtasks.map(\.agentId) == ["a", "b"])
        #expect(plan.subtasks[0].dependsOn.isEmpty)
        #expect(plan.subtasks[1].dependsOn == ["a"])
        #expect(plan.synthesis == nil)
    }

    @Test func reportsWhatIsWrongWithAPlan() {
        func subtasks(_ items: String...) -> String { #"{"subtasks": ["# + items.joined(separator: ",") + "]}" }
        func item(_ id: String, deps: String = "[]", task: String = "\"work\"") -> String {
            #"{"agent_id": "\#(id)", "agent_role": "backend", "task": \#(task), "depends_on": \#(deps)}"#
        }
        let cases: [(String, String)] = [
            ("I would rather not.", "the coordinator's answer contains no JSON object"),
            (#"```json {"plan": []} ```"#, "the plan has no \"subtasks\" list"),
            (#"{"subtasks": []}"#, "the plan has no subtasks"),
            (#"{"subtasks": {"a": 1}}"#, "the plan has no \"subtasks\" list"),
            (subtasks(item("a"), "7"), "plan subtask 2: not a JSON object"),
            (subtasks(item("a b")), "plan subtask 1: agent_id 'a b' is not a valid id (1 to 128 characters of ^[A-Za-z0-9._:-]+$)"),
            (subtasks(item("a{x}")), "plan subtask 1: agent_id 'a{x}' is not a valid id (1 to 128 characters of ^[A-Za-z0-9._:-]+$)"),
            (subtasks(item("a"), item("b"), item("a")), "plan subtask 3: agent_id 'a' is already used by plan subtask 1"),
            (subtasks(item("a"), item("b", deps: #"["x"]"#)), "plan subtask 2: depends_on 'x' is not a subtask of the plan"),
            (
                subtasks(item("a", deps: #"["b"]"#), item("b")),
                "plan subtask 1: depends_on 'b' is plan subtask 2, which comes later; a subtask may depend only on earlier ones"
            ),
            (
                subtasks(item("a", deps: #"["b"]"#), item("b", deps: #"["a"]"#)),
                "plan subtask 1: depends_on 'b' is plan subtask 2, which comes later; a subtask may depend only on earlier ones"
            ),
            (subtasks(item("a", deps: #"["a"]"#)), "plan subtask 1: depends_on 'a' is the subtask itself"),
            (subtasks(item("a", deps: #""b""#)), "plan subtask 1: depends_on must be a list of agent_id strings"),
            (subtasks(item("a", task: "\"  \"")), "plan subtask 1: task (the instruction) is empty"),
            (subtasks(item("a", task: "5")), "plan subtask 1: task must be a string"),
            (subtasks(#"{"agent_id": "a", "task": "x"}"#), "plan subtask 1: agent_role is missing"),
            (subtasks(#"{"agent_role": "qa", "task": "x"}"#), "plan subtask 1: agent_id is missing"),
            (
                subtasks(#"{"agent_id": "a", "agent_role": "", "task": "x"}"#),
                "plan subtask 1: agent_role must be 1 to 64 characters and not blank"
            ),
            (#"{"subtasks": [\#(item("a"))], "synthesis": 3}"#, "the plan's synthesis must be a non-empty string"),
            (#"{"subtasks": [\#(item("a"))], "synthesis": " "}"#, "the plan's synthesis must be a non-empty string"),
        ]
        for (output, message) in cases {
            #expect(parseError(output)?.description == message, "for \(output)")
        }
    }

    @Test func rejectsMoreThanTwentySubtasks() throws {
        let items = (0...20).map { #"{"agent_id": "s\#($0)", "agent_role": "qa", "task": "t"}"# }
        let error = parseError(#"{"subtasks": [\#(items.joined(separator: ","))]}"#)
        #expect(error?.description == "the plan has 21 subtasks; at most 20 are allowed")
        #expect(error?.subtaskNumber == nil)
        let twenty = #"{"subtasks": [\#(items.dropLast().joined(separator: ","))]}"#
        #expect(try CoordinatorPlan.parse(output: twenty).subtasks.count == 20)
    }

    @Test func rejectsIdsTheWorkflowAlreadyUses() {
        let output =
            #"{"subtasks": [{"agent_id": "ok", "agent_role": "qa", "task": "t"}, {"agent_id": "report", "agent_role": "qa", "task": "t"}]}"#
        let taken = parseError(output, coordinator: "lead", existing: ["lead", "report"])
        #expect(taken?.description == "plan subtask 2: agent_id 'report' is already used by a task of the workflow")
        #expect(taken?.subtaskNumber == 2)

        let own = #"{"subtasks": [{"agent_id": "lead", "agent_role": "qa", "task": "t"}]}"#
        #expect(
            parseError(own, coordinator: "lead")?.description == "plan subtask 1: agent_id 'lead' is already used by a task of the workflow"
        )

        let reserved = #"{"subtasks": [{"agent_id": "lead-synthesis", "agent_role": "qa", "task": "t"}]}"#
        #expect(
            parseError(reserved, coordinator: "lead")?.description
                == "plan subtask 1: agent_id 'lead-synthesis' is reserved for the synthesis step")
    }

    @Test func delegatedTasksAddTheSynthesisStepLast() throws {
        let options = TaskOptions(
            llmModel: "gpt-4o", temperature: 0.3, maxTokens: 500, systemPrompt: "Plan.", timeoutSeconds: 60, delegate: true)
        let tasks = Self.expected.delegatedTasks(coordinatorAgentId: "lead", objective: "Ship checkout", coordinatorOptions: options)
        #expect(tasks.map(\.agentId) == ["ui", "api", "tests", "lead-synthesis"])
        #expect(tasks.map(\.agentRole) == ["frontend", "backend", "qa", "coordinator"])
        #expect(tasks.map(\.dependencies) == [[], [], [0, 1], [0, 1, 2]])
        #expect(tasks.map(\.dependsOn) == [["lead"], ["lead"], ["ui", "api"], ["ui", "api", "tests"]])
        #expect(tasks.map(\.isSynthesis) == [false, false, false, true])
        #expect(tasks[0].inputJSON == #"{"task":"Build the checkout form"}"#)
        #expect(tasks[2].dependsOnJSON == #"["ui","api"]"#)
        #expect(tasks[3].inputData["task"]?.stringValue == "Write one delivery note\n\nThe original objective: Ship checkout")
        let inherited = TaskOptions(llmModel: "gpt-4o", temperature: 0.3, maxTokens: 500, timeoutSeconds: 60)
        #expect(tasks.allSatisfy { $0.options == inherited })

        let plain = CoordinatorPlan(subtasks: [.init(agentId: "x", agentRole: "qa", instruction: "t")])
        let synthesis = try #require(plain.delegatedTasks(coordinatorAgentId: "c", objective: nil, coordinatorOptions: TaskOptions()).last)
        #expect(synthesis.inputData["task"]?.stringValue == CoordinatorPlan.defaultSynthesisInstruction)
        #expect(synthesis.options == TaskOptions())
    }

    @Test func summaryAndJSONDescribeThePlan() throws {
        #expect(
            Self.expected.summary(coordinatorAgentId: "lead") == """
                Delegated to 3 agents:
                1. ui (frontend): Build the checkout form
                2. api (backend): Build the payment endpoint
                3. tests (qa), after ui, api: Test {the} checkout "end to end"
                Their results are merged by lead-synthesis.
                """)
        let reparsed = try CoordinatorPlan.parse(output: Self.expected.jsonValue.compactJSONString)
        #expect(reparsed == Self.expected)
    }

    @Test func delegationPromptDescribesTheFormAndTakenIds() throws {
        let prompt = CoordinatorDelegation.systemPrompt(
            base: "You coordinate.", coordinatorAgentId: "lead", reservedAgentIds: ["report", "lead"])
        #expect(prompt.hasPrefix("You coordinate.\n\n" + CoordinatorDelegation.systemPromptSuffix))
        #expect(prompt.hasSuffix("- These agent_ids are taken; do not use them: lead, lead-synthesis, report."))
        #expect(prompt.contains(#""subtasks""#) && prompt.contains("depends_on"))
        // The example in the prompt is itself a valid plan once its placeholders are filled.
        let example = try #require(CoordinatorDelegation.systemPromptSuffix.split(separator: "\n").first { $0.hasPrefix("{") })
        #expect(try CoordinatorPlan.parse(output: String(example)).subtasks.map(\.agentId) == ["api", "tests"])
        let many = CoordinatorDelegation.systemPrompt(base: "", reservedAgentIds: (0..<150).map { "t\($0)" })
        #expect(many.hasSuffix("t99 and 50 more."))
        #expect(many.hasPrefix(CoordinatorDelegation.systemPromptSuffix))
    }

    private func parseError(_ output: String, coordinator: String? = nil, existing: Set<String> = []) -> CoordinatorPlanError? {
        do {
            let plan = try CoordinatorPlan.parse(output: output, coordinatorAgentId: coordinator, existingAgentIds: existing)
            Issue.record("expected rejection, got \(plan)")
            return nil
        } catch {
            return error
        }
    }
}
