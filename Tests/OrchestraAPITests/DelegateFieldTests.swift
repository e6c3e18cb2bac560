import Foundation
import OrchestraAPI
import OrchestraAgents
import Testing

@Suite struct DelegateFieldTests {
    @Test func theValidatorAcceptsDelegateInEveryWorkflowType() throws {
        for type in ["sequential", "parallel", "graph"] {
            let request = try WorkflowValidator().validate(
                Fixture.body(
                    type,
                    [Fixture.task("lead", role: "coordinator", extra: ["delegate": true]), Fixture.task("b", extra: ["delegate": false])]))
            #expect(request.tasks.map(\.options.delegate) == [true, false])
        }
        let absent = try WorkflowValidator().validate(Fixture.body("graph", [Fixture.task("a", extra: ["delegate": nil])]))
        #expect(absent.tasks[0].options.delegate == false)
    }

    @Test func delegateMustBeABoolean() {
        let issue = Fixture.single(Fixture.body("graph", [Fixture.task("a", extra: ["delegate": "yes"])]))
        #expect(
            issue
                == ValidationIssue(
                    loc: ["body", "tasks", 0, "delegate"], msg: "Input should be a valid boolean", type: "bool_type", input: "yes"))
    }

    @Test func theSynthesisNameMustBeFree() {
        let body = Fixture.body("graph", [Fixture.task("lead", extra: ["delegate": true]), Fixture.task("lead-synthesis")])
        let issue = Fixture.single(body)
        #expect(issue?.loc == ["body", "tasks", 0, "delegate"])
        #expect(
            issue?.msg == "Value error, task 'lead' delegates, so its synthesis step is named 'lead-synthesis', which task 1 already uses")
        #expect(issue?.input == true)
        // Without delegation the same names are fine.
        #expect(throws: Never.self) {
            try WorkflowValidator().validate(Fixture.body("graph", [Fixture.task("lead"), Fixture.task("lead-synthesis")]))
        }
    }

    @Test func aDelegatingIdLeavesRoomForTheSynthesisSuffix() throws {
        let longest = String(repeating: "a", count: 118)
        _ = try WorkflowValidator().validate(Fixture.body("graph", [Fixture.task(longest, extra: ["delegate": true])]))
        let issue = Fixture.single(Fixture.body("graph", [Fixture.task(longest + "b", extra: ["delegate": true])]))
        #expect(issue?.loc == ["body", "tasks", 0, "delegate"])
        #expect(issue?.msg.hasPrefix("Value error, a delegating task's agent_id must be at most 118 characters") == true)
    }

    @Test func taskJSONCarriesDelegateOnlyWhenSet() throws {
        let task = AgentTask(agentId: "a", agentRole: "coordinator", inputData: ["task": "x"], options: TaskOptions(delegate: true))
        let encoded = try JSONValue.parse(try JSONEncoder().encode(task))
        #expect(encoded["delegate"] == true)
        let plain = try JSONValue.parse(try JSONEncoder().encode(AgentTask(agentId: "a", agentRole: "qa", inputData: ["task": "x"])))
        #expect(plain["delegate"] == nil)
        #expect(plain == ["agent_id": "a", "agent_role": "qa", "input_data": ["task": "x"], "depends_on": []])
        #expect(try JSONDecoder().decode(AgentTask.self, from: try JSONEncoder().encode(task)) == task)
    }
}
