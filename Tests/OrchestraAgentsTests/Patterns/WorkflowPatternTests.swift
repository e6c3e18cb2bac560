import Foundation
import OrchestraAPI
import OrchestraAgents
import Testing

@Suite struct WorkflowPatternTests {
    /// Re-validates a request from its JSON encoding, as the gateway would receive it.
    private func revalidated(_ request: WorkflowRequest) throws -> WorkflowRequest {
        try WorkflowValidator().validate(data: try JSONEncoder().encode(request))
    }

    @Test func registryListsTheThreePatternsByName() throws {
        #expect(WorkflowPatterns.all.map(\.name) == ["full-stack-development", "code-review", "coordinator-supervised"])
        #expect(WorkflowPatterns.pattern(named: "code-review")?.workflowType == .graph)
        #expect(WorkflowPatterns.pattern(named: "nope") == nil)
        let listed = try #require(WorkflowPatterns.pattern(named: "code-review")?.jsonValue)
        #expect(listed["name"] == "code-review")
        #expect(listed["workflow_type"] == "graph")
        #expect(listed["parameters"]?["required"] == ["code", "language"])
        #expect(listed["parameters"]?["properties"]?["language"]?["pattern"] == "^[A-Za-z0-9+#._ -]{1,40}$")
        #expect(listed["parameters"]?["properties"]?["temperature"]?["maximum"] == 2.0)
        #expect((listed["description"]?.stringValue ?? "").isEmpty == false)
    }

    @Test func fullStackIsASequentialPipelineWithAnInstructionPerStep() throws {
        let request = try WorkflowPatterns.fullStackDevelopment(feature: "User profile dashboard", workflowId: "fs-1")
        #expect(try revalidated(request) == request)
        #expect(request.workflowId == "fs-1")
        #expect(request.workflowType == .sequential)
        #expect(request.tasks.map(\.agentRole) == ["frontend", "backend", "qa", "debugger", "qa"])
        #expect(request.tasks.map(\.agentId) == ["frontend", "backend", "qa", "debugger", "qa-verification"])
        #expect(request.tasks.allSatisfy { $0.instruction?.contains("User profile dashboard") == true })
        #expect(Set(request.tasks.compactMap(\.instruction)).count == 5)
        #expect(request.tasks[0].instruction?.hasPrefix("Design and build the frontend") == true)
        #expect(request.tasks[3].instruction?.contains("QA report") == true)
        #expect(request.tasks.allSatisfy { $0.options.systemPrompt == nil && !$0.options.delegate && $0.dependsOn.isEmpty })
        #expect(request.metadata == ["pattern": "full-stack-development"])
    }

    @Test func codeReviewRunsThreeReviewersInParallelThenASummary() throws {
        let code = "function f(x) {\n  return eval(x) // ```\n}"
        let request = try WorkflowPatterns.codeReview(code: code, language: "typescript")
        #expect(try revalidated(request) == request)
        #expect(request.workflowId == nil)
        #expect(request.workflowType == .graph)
        #expect(request.tasks.map(\.agentId) == ["security-review", "performance-review", "style-review", "summary"])
        let reviewers = request.tasks.prefix(3)
        #expect(reviewers.allSatisfy { $0.dependsOn.isEmpty && $0.instruction?.contains(code) == true })
        #expect(reviewers.allSatisfy { $0.instruction?.contains("````typescript\n") == true })
        let prompts = request.tasks.compactMap(\.options.systemPrompt)
        #expect(prompts.count == 4 && Set(prompts).count == 4)
        #expect(request.tasks[0].options.systemPrompt?.contains("security") == true)
        #expect(request.tasks[3].dependsOn == ["security-review", "performance-review", "style-review"])
        #expect(request.tasks[3].instruction?.contains(code) == false)
        let plan = WorkflowPlan(request: request, workflowId: "cr")
        #expect(plan.roots == [0, 1, 2])
        #expect(plan.tasks[3].dependencies == [0, 1, 2])
    }

    @Test func coordinatorSupervisedIsOneDelegatingCoordinator() throws {
        let request = try WorkflowPatterns.instantiate(
            name: "coordinator-supervised", parameters: ["objective": "Build e-commerce checkout flow", "ignored": 1],
            workflowId: "co-1", metadata: ["team": "shop"])
        #expect(try revalidated(request) == request)
        let coordinator = try #require(request.tasks.first)
        #expect(request.tasks.count == 1)
        #expect(coordinator.agentId == "coordinator" && coordinator.agentRole == "coordinator")
        #expect(coordinator.options.delegate)
        #expect(coordinator.instruction == "Build e-commerce checkout flow")
        #expect(request.metadata == ["team": "shop", "pattern": "coordinator-supervised"])
    }

    @Test func sharedModelOptionsApplyToEveryTask() throws {
        let request = try WorkflowPatterns.instantiate(
            name: "code-review", parameters: ["code": "x = 1", "language": "Python 3", "llm_model": "gpt-4o", "temperature": 0.2])
        #expect(request.tasks.allSatisfy { $0.options.llmModel == "gpt-4o" && $0.options.temperature == 0.2 })
        #expect(request.tasks[0].instruction?.contains("```python-3\n") == true)
    }

    @Test func unknownPatternIsReportedByName() {
        do {
            _ = try WorkflowPatterns.instantiate(name: "rocket-science", parameters: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.isUnknownPattern)
            #expect(error.issues.isEmpty)
            #expect(error.description.contains("unknown pattern 'rocket-science'"))
            #expect(error.description.contains("code-review"))
        }
    }

    @Test func everyInvalidParameterIsReportedAtItsLocation() {
        let error = instantiationError("code-review", ["code": 42, "temperature": 3, "llm_model": ""])
        #expect(error?.issues.map(\.loc) == [["body", "code"], ["body", "language"], ["body", "llm_model"], ["body", "temperature"]])
        #expect(error?.issues.map(\.type) == ["string_type", "missing", "string_too_short", "less_than_equal"])
        #expect(error?.parameter == "code")
        #expect(error?.isUnknownPattern == false)
    }

    @Test func parameterValuesAreChecked() {
        let blank = instantiationError("full-stack-development", ["feature": "  \n"])
        #expect(
            blank?.issues == [
                ValidationIssue(
                    loc: ["body", "feature"], msg: "Value error, feature must not be blank", type: "value_error", input: "  \n",
                    ctx: ["error": "feature must not be blank"])
            ])

        let missing = instantiationError("coordinator-supervised", ["objective": nil])
        #expect(
            missing?.issues == [
                ValidationIssue(loc: ["body", "objective"], msg: "Field required", type: "missing", input: ["objective": nil])
            ])

        let huge = String(repeating: "x", count: 16 * 1024 + 1)
        let tooLong = instantiationError("full-stack-development", ["feature": .string(huge)])
        #expect(tooLong?.issues.first?.msg == "Value error, feature is 16385 bytes; at most 16384 are allowed")

        let language = instantiationError("code-review", ["code": "x", "language": "c```\nrm"])
        #expect(language?.issues.first?.type == "string_pattern_mismatch")
        #expect(language?.issues.first?.input == "c```\nrm")
        #expect(language?.issues.first?.ctx == ["pattern": .string(PatternParameter.namePattern(maxLength: 40))])
        #expect(language?.parameter == "language")
    }

    @Test func anInvalidWorkflowIdIsReportedByTheValidator() {
        do {
            _ = try WorkflowPatterns.fullStackDevelopment(feature: "x", workflowId: "has space")
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.map(\.loc) == [["body", "workflow_id"]])
            #expect(error.issues.first?.type == "string_pattern_mismatch")
        }
    }

    private func instantiationError(_ name: String, _ parameters: JSONObject) -> PatternError? {
        do {
            let request = try WorkflowPatterns.instantiate(name: name, parameters: parameters)
            Issue.record("expected rejection, got \(request)")
            return nil
        } catch {
            return error
        }
    }
}
