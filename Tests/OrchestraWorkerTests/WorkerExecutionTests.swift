import Foundation
import OrchestraAPI
import OrchestraAgents
import OrchestraProviderTestSupport
import OrchestraProviders
import OrchestraScheduler
import OrchestraTestSupport
import OrchestraWorker
import Testing

@Suite("Worker: running workflows end to end", .timeLimit(.minutes(5)))
struct WorkerExecutionTests {
    @Test func sequentialParallelAndGraphWorkflowsCompleteWithEcho() async throws {
        let fixture = try WorkerFixture()
        let worker = try fixture.worker()
        try await fixture.with([worker]) {
            let sequential = try await fixture.submit(
                .sequential, [agent("plan", "Plan it"), agent("build", "Build it"), agent("test", role: "qa", "Test it")])
            let parallel = try await fixture.submit(.parallel, (0..<6).map { agent("p\($0)", "Part \($0)") })
            let graph = try await fixture.submit(
                .graph,
                [
                    agent("a", "Start"), agent("b", "Left", dependsOn: ["a"]), agent("c", "Right", dependsOn: ["a"]),
                    agent("d", role: "coordinator", "Join", dependsOn: ["b", "c"]),
                ])

            let seq = try await fixture.waitForEnd(sequential)
            #expect(seq.status == "completed")
            #expect(seq.tasks.map(\.status) == ["completed", "completed", "completed"])
            #expect(seq.tasks[0].output == "[echo] backend agent handled: Plan it.")
            #expect(seq.tasks[1].output == "[echo] backend agent handled: Build it. Inputs from: plan.")
            #expect(seq.tasks[2].output == "[echo] qa agent handled: Test it. Inputs from: build.")
            for (earlier, later) in zip(seq.tasks, seq.tasks.dropFirst()) {
                #expect(try #require(later.startedAt) >= #require(earlier.completedAt))
            }
            #expect(seq.tasks.allSatisfy { $0.attempts == 1 && $0.workerID == worker.workerID && $0.error == nil })

            let par = try await fixture.waitForEnd(parallel)
            #expect(par.status == "completed")
            #expect(par.tasks.compactMap(\.output) == (0..<6).map { "[echo] backend agent handled: Part \($0)." })

            let dag = try await fixture.waitForEnd(graph)
            #expect(dag.status == "completed")
            let (a, b, c, d) = (dag.tasks[0], dag.tasks[1], dag.tasks[2], dag.tasks[3])
            #expect(try #require(b.startedAt) >= #require(a.completedAt))
            #expect(try #require(c.startedAt) >= #require(a.completedAt))
            #expect(try #require(d.startedAt) >= max(#require(b.completedAt), #require(c.completedAt)))
            #expect(d.output == "[echo] coordinator agent handled: Join. Inputs from: b, c.")
            let answer = try #require(d.answer)
            #expect(answer.provider == "echo")
            #expect(answer.model == "echo")
            #expect(answer.completionTokens == d.output!.split(separator: " ").count)
            #expect(dag.completionTokens > 0 && dag.promptTokens > 0)

            // Usage counters: one call per completed task, on echo.
            let usage = try await fixture.store.usageCounters()
            #expect(usage.map(\.provider) == ["echo"])
            #expect(usage.first?.calls == 13)
            #expect(usage.first?.completionTokens == seq.completionTokens + par.completionTokens + dag.completionTokens)
        }
    }

    @Test func sequentialPromptCarriesThePreviousOutputAsContext() async throws {
        let fixture = try WorkerFixture()
        try await LoopbackProviderServer.with([
            StubResponse(body: openAIAnswer("Use SwiftNIO.")), StubResponse(body: openAIAnswer("Done: built on SwiftNIO.")),
        ]) { server, base in
            let worker = try fixture.worker(providers: loopbackProviders(base))
            try await fixture.with([worker]) {
                let id = try await fixture.submit(
                    .sequential,
                    [
                        agent("architect", "Pick a stack"),
                        AgentTask(agentId: "dev", agentRole: "frontend", inputData: ["task": "Build", "lang": "swift"]),
                    ])
                let workflow = try await fixture.waitForEnd(id)
                #expect(workflow.status == "completed")
                #expect(workflow.tasks.map(\.output) == ["Use SwiftNIO.", "Done: built on SwiftNIO."])
                let requests = server.requests
                try #require(requests.count == 2)
                #expect(requests[0].path == "/v1/chat/completions")
                #expect(requests[0].json["model"] as? String == "gpt-4o-mini")
                #expect(requests[0].userPrompt == "Pick a stack")
                #expect(requests[0].systemPrompt == AgentPrompts.builtIn.systemPrompt(for: "backend"))
                #expect(
                    requests[1].userPrompt == """
                        Build

                        Input:
                        {"lang":"swift"}

                        Context from previous steps:
                        [Dependency architect]
                        Use SwiftNIO.
                        """)
                #expect(requests[1].systemPrompt == AgentPrompts.builtIn.systemPrompt(for: "frontend"))
                let answer = try #require(workflow.tasks[1].answer)
                #expect(answer.provider == "openai")
                #expect(answer.model == "gpt-4o-mini")
                #expect(answer.promptTokens == 11 && answer.completionTokens == 7)
                #expect(
                    try await fixture.store.usageCounters() == [
                        ProviderUsage(provider: "openai", model: "gpt-4o-mini", calls: 2, promptTokens: 22, completionTokens: 14)
                    ])
            }
        }
    }

    @Test func graphPromptHasOneContextBlockPerDependencyInDependsOnOrder() async throws {
        let fixture = try WorkerFixture()
        try await LoopbackProviderServer.with([StubResponse(body: openAIAnswer("same answer"))]) { server, base in
            let worker = try fixture.worker(providers: loopbackProviders(base))
            try await fixture.with([worker]) {
                let id = try await fixture.submit(
                    .graph,
                    [
                        agent("api", "Design the API"), agent("ui", "Design the UI"),
                        AgentTask(
                            agentId: "review", agentRole: "qa", inputData: ["task": "Review both"], dependsOn: ["ui", "api"],
                            options: TaskOptions(systemPrompt: "You are strict.")),
                    ])
                let workflow = try await fixture.waitForEnd(id)
                #expect(workflow.status == "completed")
                let review = try #require(server.requests.last)
                #expect(server.requests.count == 3)
                #expect(
                    review.userPrompt == """
                        Review both

                        Context from previous steps:
                        [Dependency ui]
                        same answer

                        [Dependency api]
                        same answer
                        """)
                #expect(review.systemPrompt == "You are strict.")
            }
        }
    }

    @Test func anUnknownModelFailsTheTaskAtOnceNamingIt() async throws {
        let fixture = try WorkerFixture()
        let worker = try fixture.worker()
        try await fixture.with([worker]) {
            let id = try await fixture.submit(
                .sequential,
                [
                    AgentTask(agentId: "x", agentRole: "qa", inputData: ["task": "t"], options: TaskOptions(llmModel: "gpt-4o")),
                    agent("y", "after"),
                ])
            let workflow = try await fixture.waitForEnd(id)
            #expect(workflow.status == "failed")
            #expect(workflow.tasks[0].attempts == 1)
            #expect(workflow.tasks[0].error?.contains("OPENAI_API_KEY") == true)
            #expect(workflow.tasks[1].error == "dependency 'x' failed")
        }
    }
}
