import OrchestraAPI
import OrchestraAgents
import OrchestraProviders
import Testing

@Suite("Echo provider plans")
struct EchoPlanTests {
    @Test func answersAPlanThatParses() async throws {
        let request = LLMRequest(
            model: "echo", systemPrompt: CoordinatorDelegation.systemPrompt(base: "You coordinate."),
            userPrompt: "Build e-commerce checkout flow", agentRole: "coordinator", instruction: "Build e-commerce checkout flow",
            agentID: "coordinator", responseFormat: .coordinatorPlan)
        let response = try await EchoProvider().complete(request)
        #expect(response.provider == "echo")
        #expect(response.text.hasPrefix("[echo] coordinator plan:\n```json\n"))
        let plan = try CoordinatorPlan.parse(output: response.text, coordinatorAgentId: "coordinator", existingAgentIds: ["coordinator"])
        #expect(plan.subtasks.map(\.agentId) == ["coordinator-frontend", "coordinator-backend", "coordinator-qa"])
        #expect(plan.subtasks.map(\.agentRole) == ["frontend", "backend", "qa"])
        #expect(plan.subtasks.map(\.dependsOn) == [[], [], ["coordinator-frontend", "coordinator-backend"]])
        #expect(plan.subtasks.allSatisfy { $0.instruction.hasSuffix("for: Build e-commerce checkout flow") })
        #expect(plan.synthesis?.contains("Build e-commerce checkout flow") == true)
        #expect(try await EchoProvider().complete(request) == response)
        #expect((response.usage?.completionTokens ?? 0) > 0)
    }

    @Test func planStaysBoundedAndValidForAnyInstruction() async throws {
        let hostile = String(repeating: "\"quoted\" {braces} ```fence``` ünïcødé 😀 ", count: 400)
        for agentID in [nil, "bad id", String(repeating: "x", count: 128)] {
            let request = LLMRequest(model: "echo", userPrompt: hostile, agentID: agentID, responseFormat: .coordinatorPlan)
            let text = try await EchoProvider().complete(request).text
            #expect(text.utf8.count <= EchoProvider.maximumOutputBytes)
            let plan = try CoordinatorPlan.parse(output: text)
            #expect(plan.subtasks.count == 3)
            #expect(plan.subtasks.allSatisfy { IdentifierSyntax.isValid($0.agentId) })
        }
    }

    @Test func textRequestsAreUnchanged() async throws {
        let response = try await EchoProvider().complete(
            LLMRequest(model: "echo", userPrompt: "Plan it", agentRole: "coordinator", agentID: "c"))
        #expect(response.text == "[echo] coordinator agent handled: Plan it.")
    }
}
