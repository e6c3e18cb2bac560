import Foundation
import OrchestraAPI
import OrchestraAgents
import Testing

@Suite struct AgentFactoryTests {
    @Test func makesAnAgentWithItsRolePrompt() throws {
        let agent = try AgentFactory.makeAgent(role: "backend", agentId: "my-backend-agent", llmModel: "gpt-4o", temperature: 0.7)
        #expect(agent.agentId == "my-backend-agent")
        #expect(agent.role == "backend" && agent.knownRole == .backend)
        #expect(agent.llmModel == "gpt-4o" && agent.temperature == 0.7)
        #expect(agent.systemPrompt == AgentRole.backend.defaultSystemPrompt)
        #expect(!agent.hasCustomSystemPrompt)

        let task = agent.task("Create the login endpoint", input: ["framework": "vapor"], dependsOn: ["design"])
        #expect(task.agentId == "my-backend-agent" && task.agentRole == "backend")
        #expect(task.inputData == ["task": "Create the login endpoint", "framework": "vapor"])
        #expect(task.dependsOn == ["design"])
        #expect(task.options.llmModel == "gpt-4o" && task.options.temperature == 0.7)
        #expect(task.options.systemPrompt == nil, "the role prompt is applied by the worker, from its configuration")
        #expect(!task.options.delegate)
    }

    @Test func usesConfiguredPromptsAndCustomOnes() throws {
        var prompts = AgentPrompts.builtIn
        prompts.setPrompt("Speak like a pirate.", for: "default")
        let factory = AgentFactory(prompts: prompts)
        let generic = try factory.makeAgent(role: "researcher", agentId: "r1")
        #expect(generic.systemPrompt == "Speak like a pirate.")
        #expect(generic.knownRole == nil)

        let custom = try factory.makeAgent(role: .coordinator, agentId: "lead", systemPrompt: "Be brief.")
        #expect(custom.hasCustomSystemPrompt)
        let task = custom.task("Plan it", delegate: true)
        #expect(task.options.systemPrompt == "Be brief.")
        #expect(task.options.delegate)
        let request = WorkflowRequest(workflowType: .graph, tasks: [task])
        let encoded = try JSONEncoder().encode(request)
        #expect(try WorkflowValidator().validate(data: encoded).tasks == [task])
    }

    @Test func rejectsArgumentsATaskCouldNotCarry() {
        let cases: [(() throws(AgentSpecError) -> AgentSpec, String)] = [
            ({ () throws(AgentSpecError) in try AgentFactory.makeAgent(role: "qa", agentId: "bad id") }, "agent_id"),
            ({ () throws(AgentSpecError) in try AgentFactory.makeAgent(role: " ", agentId: "a") }, "agent_role"),
            ({ () throws(AgentSpecError) in try AgentFactory.makeAgent(role: "qa", agentId: "a", llmModel: "") }, "llm_model"),
            ({ () throws(AgentSpecError) in try AgentFactory.makeAgent(role: "qa", agentId: "a", temperature: 2.5) }, "temperature"),
            ({ () throws(AgentSpecError) in try AgentFactory().makeAgent(role: "qa", agentId: "a", maxTokens: 0) }, "max_tokens"),
            ({ () throws(AgentSpecError) in try AgentFactory().makeAgent(role: "qa", agentId: "a", systemPrompt: "\n") }, "system_prompt"),
        ]
        for (make, field) in cases {
            do {
                _ = try make()
                Issue.record("expected \(field) to be rejected")
            } catch {
                #expect(error.field == field)
                #expect(!error.description.isEmpty)
            }
        }
    }
}
