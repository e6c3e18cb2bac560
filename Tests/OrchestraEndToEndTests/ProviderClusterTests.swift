import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraProviderTestSupport
import Testing

/// Real LLM provider code in real worker processes, against loopback servers that speak each
/// provider's wire format; and the pre-built patterns, delegation included, end to end.
@Suite("End to end: providers, limits and patterns", .serialized, .timeLimit(.minutes(10)))
struct ProviderClusterTests {
    @Test("a sequential workflow on Anthropic: each request carries the role prompt and the previous output as context")
    func anthropicSequentialContext() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: AnthropicFixtures.success)]) { server, baseURL in
            try await withCluster(environment: ["ANTHROPIC_BASE_URL": baseURL, "ANTHROPIC_API_KEY": "sk-ant-test"]) { cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                try cluster.startWorker()
                let id = try await gateway.submit(
                    """
                    {"workflow_type": "sequential", "tasks": [
                      {"agent_id": "spec", "agent_role": "backend", "input_data": {"task": "Write the spec"}, "llm_model": "claude-sonnet-4-20250514", "temperature": 0.2},
                      {"agent_id": "review", "agent_role": "qa", "input_data": {"task": "Review it"}, "llm_model": "claude-sonnet-4-20250514"}
                    ]}
                    """)
                let status = try await gateway.waitForTerminal(id)
                #expect(status.status == .completed)
                #expect(status.tasks[1].result?["provider"] == "anthropic")
                #expect(status.tasks[1].result?["usage"]?["prompt_tokens"] == 12)

                let requests = server.requests
                try #require(requests.count == 2)
                #expect(requests.allSatisfy { $0.path == "/v1/messages" && $0.headers["x-api-key"] == "sk-ant-test" })
                #expect(requests.allSatisfy { $0.headers["anthropic-version"] != nil })
                #expect(requests[0].json["model"] as? String == "claude-sonnet-4-20250514")
                #expect(requests[0].json["temperature"] as? Double == 0.2)
                #expect((requests[0].json["system"] as? String)?.isEmpty == false)
                #expect(requests[0].messages.first?["content"] as? String == "Write the spec")
                #expect(
                    requests[1].messages.first?["content"] as? String
                        == "Review it\n\nContext from previous steps:\n[Dependency spec]\nHello, world")
            }
        }
    }

    @Test("a worker killed after the provider answered but before acknowledging: completed without a second call")
    func killedAfterAnswerIsNotBilledTwice() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: OpenAIFixtures.success)]) { server, baseURL in
            try await withCluster(environment: ["OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-test", "TASK_LEASE_SECONDS": "1"])
            {
                cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                let doomed = try cluster.startWorker(environment: ["ORCHESTRA_FAULT_EXIT_AFTER_ANSWER": "1"])
                let id = try await gateway.submit(
                    #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "backend", "input_data": {"task": "Answer"}, "llm_model": "gpt-4o"}]}"#
                )
                try await cluster.waitForExit(doomed.pid)
                #expect(server.requests.count == 1)

                try cluster.startWorker()
                let status = try await gateway.waitForTerminal(id, timeout: .seconds(20))
                #expect(status.status == .completed)
                #expect(status.tasks[0].result?["provider"] == "openai")
                #expect(server.requests.count == 1, "the stored answer was reused")
            }
        }
    }

    @Test("provider limits hold across workers: the server never sees more concurrent calls than configured")
    func clusterWideConcurrencyLimit() async throws {
        let slow = StubResponse(body: OpenAIFixtures.success, delay: .milliseconds(300))
        try await LoopbackProviderServer.with([slow]) { server, baseURL in
            let environment = [
                "OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-test", "PROVIDER_MAX_CONCURRENCY_OPENAI": "2",
                // Small per-worker capacity, so the twelve tasks spread over all three workers.
                "WORKER_CONCURRENCY": "4",
            ]
            try await withCluster(environment: environment) { cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                for _ in 0..<3 { try cluster.startWorker() }
                let tasks = (0..<12).map {
                    #"{"agent_id": "t\#($0)", "agent_role": "qa", "input_data": {"task": "Check \#($0)"}, "llm_model": "gpt-4o"}"#
                }
                let id = try await gateway.submit(#"{"workflow_type": "parallel", "tasks": [\#(tasks.joined(separator: ","))]}"#)
                let status = try await gateway.waitForTerminal(id, timeout: .seconds(60))
                #expect(status.status == .completed)
                #expect(server.requests.count == 12)
                #expect(server.maxInFlight == 2)
                #expect(Set(status.tasks.compactMap(\.workerId)).count > 1, "several workers took part")
            }
        }
    }

    @Test("the three patterns run end to end; the coordinator's plan becomes real tasks, in order")
    func patternsEndToEnd() async throws {
        try await withCluster(environment: ["ECHO_LATENCY_MS": "50"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            try cluster.startWorker()
            var ids: [String: String] = [:]
            for (name, body) in [
                ("full-stack-development", #"{"feature": "User profile dashboard"}"#),
                ("code-review", #"{"code": "let x = try! load()", "language": "swift"}"#),
                ("coordinator-supervised", #"{"objective": "Build e-commerce checkout flow"}"#),
            ] {
                let reply = try await gateway.request(.POST, "/patterns/\(name)", json: body)
                #expect(reply.status == 200, "\(name): \(reply.text)")
                ids[name] = try reply.decode(WorkflowStatus.self).workflowId
            }
            for (name, id) in ids {
                let status = try await gateway.waitForTerminal(id)
                #expect(status.status == .completed, "\(name)")
            }

            let pipeline = try await gateway.status(ids["full-stack-development"]!)
            #expect(pipeline.tasks.map(\.agentRole) == ["frontend", "backend", "qa", "debugger", "qa"])

            let review = try await gateway.status(ids["code-review"]!)
            let summary = try #require(review.tasks.last)
            #expect(review.tasks.dropLast().allSatisfy { summary.startedAt! >= $0.completedAt! })

            let coordinated = try await gateway.status(ids["coordinator-supervised"]!)
            #expect(coordinated.tasks.count == 5, "the coordinator, its three subtasks and the synthesis")
            let coordinator = coordinated.tasks[0]
            #expect(coordinator.result?["plan"] != nil)
            let byID = Dictionary(uniqueKeysWithValues: coordinated.tasks.map { ($0.agentId, $0) })
            let frontend = try #require(byID["coordinator-frontend"])
            let backend = try #require(byID["coordinator-backend"])
            let qa = try #require(byID["coordinator-qa"])
            let synthesis = try #require(byID["coordinator-synthesis"])
            #expect(frontend.startedAt! >= coordinator.completedAt! && backend.startedAt! >= coordinator.completedAt!)
            #expect(qa.startedAt! >= frontend.completedAt! && qa.startedAt! >= backend.completedAt!)
            #expect(synthesis.startedAt! >= qa.completedAt!)
            #expect(coordinated.tasks.enumerated().allSatisfy { $0.element.taskId == "\(coordinated.workflowId)-task-\($0.offset)" })
        }
    }
}
