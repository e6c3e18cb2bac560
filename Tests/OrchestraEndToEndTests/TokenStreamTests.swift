import Foundation
import OrchestraAPI
import OrchestraProviderTestSupport
import Testing

/// Token streaming end to end: real worker processes call loopback servers that stream in
/// OpenAI's and Anthropic's wire formats, and a client reads `task.token` events from a gateway.
@Suite("End to end: token streaming", .serialized, .timeLimit(.minutes(10)))
struct TokenStreamTests {
    static func sequential(model: String) -> String {
        """
        {"workflow_type": "sequential", "tasks": [
          {"agent_id": "spec", "agent_role": "backend", "input_data": {"task": "Write the spec"}, "llm_model": "\(model)"},
          {"agent_id": "review", "agent_role": "qa", "input_data": {"task": "Review it"}, "llm_model": "\(model)"}]}
        """
    }

    /// Every task's token deltas come after its start and before its completion, and concatenate
    /// (those of the last attempt) to its output in the event and in the status.
    static func checkTokens(_ events: [SSEClient.Event], status: WorkflowStatus) throws {
        #expect(events.last?.type == "workflow.completed")
        for task in status.tasks {
            let own = events.enumerated().filter { $0.element.data["agent_id"]?.stringValue == task.agentId }
            let completed = try #require(own.last { $0.element.type == "task.completed" })
            let started = try #require(own.last { $0.element.type == "task.started" })
            let attempt = started.element.data["attempt"]?.intValue
            let tokens = own.filter { $0.element.type == "task.token" && $0.element.data["attempt"]?.intValue == attempt }
            #expect(!tokens.isEmpty, "\(task.agentId) streamed")
            #expect(tokens.allSatisfy { $0.offset > started.offset && $0.offset < completed.offset })
            let text = tokens.map { $0.element.data["delta"]?.stringValue ?? "" }.joined()
            #expect(text == completed.element.data["output"]?.stringValue)
            #expect(text == task.result?["output"]?["message"]?.stringValue)
        }
    }

    @Test("OpenAI wire format: deltas arrive before task.completed and add up to each output")
    func openAIStream() async throws {
        let answer = OpenAIFixtures.success(text: "A plan in several steps — first the API, then the UI. ✅")
        try await LoopbackProviderServer.with([StubResponse(body: answer, pieceDelay: .milliseconds(15))]) { server, baseURL in
            try await withCluster(environment: ["OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-test"]) { cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                try cluster.startWorker()
                let id = try await gateway.submit(Self.sequential(model: "gpt-4o-mini"))
                let events = try await SSEClient(gateway.baseURL + "/workflows/\(id)/events").collect(until: .seconds(60))
                let status = try await gateway.status(id)
                try Self.checkTokens(events, status: status)
                #expect(
                    status.tasks[0].result?["output"]?["message"]?.stringValue == "A plan in several steps — first the API, then the UI. ✅")
                #expect(server.requests.allSatisfy { $0.json["stream"] as? Bool == true })
                #expect(events.filter { $0.type == "task.token" }.count > 2, "several token events per task")
            }
        }
    }

    @Test("Anthropic wire format: deltas arrive before task.completed and add up to each output")
    func anthropicStream() async throws {
        let answer = AnthropicFixtures.success(
            text: "Reviewed: the spec holds up; one question on paging.", inputTokens: 30, outputTokens: 12)
        try await LoopbackProviderServer.with([StubResponse(body: answer, pieceDelay: .milliseconds(15))]) { server, baseURL in
            try await withCluster(environment: ["ANTHROPIC_BASE_URL": baseURL, "ANTHROPIC_API_KEY": "sk-ant-test"]) { cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                try cluster.startWorker()
                let id = try await gateway.submit(Self.sequential(model: "claude-sonnet-4-20250514"))
                let events = try await SSEClient(gateway.baseURL + "/workflows/\(id)/events").collect(until: .seconds(60))
                let status = try await gateway.status(id)
                try Self.checkTokens(events, status: status)
                #expect(status.tasks[1].result?["usage"]?["completion_tokens"] == 12)
                #expect(server.requests.allSatisfy { $0.json["stream"] as? Bool == true })
            }
        }
    }

    @Test("a stream cut mid-answer is retried: the retry's tokens follow task.retrying and the output is exact")
    func cutStreamIsRetried() async throws {
        let text = "The whole answer, which the first attempt never finished."
        let stubs = [
            StubResponse(body: OpenAIFixtures.success(text: text), behaviour: .cutStream(afterPieces: 6), pieceDelay: .milliseconds(10)),
            StubResponse(body: OpenAIFixtures.success(text: text), pieceDelay: .milliseconds(10)),
        ]
        try await LoopbackProviderServer.with(stubs) { server, baseURL in
            try await withCluster(environment: ["OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-test"]) { cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                try cluster.startWorker()
                let id = try await gateway.submit(
                    #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "backend", "input_data": {"task": "Answer"}, "llm_model": "gpt-4o"}]}"#
                )
                let events = try await SSEClient(gateway.baseURL + "/workflows/\(id)/events").collect(until: .seconds(60))
                let status = try await gateway.status(id)
                #expect(status.tasks[0].result?["output"]?["message"]?.stringValue == text)
                #expect(server.requests.count == 2)
                let retrying = try #require(events.firstIndex { $0.type == "task.retrying" })
                let before = events[..<retrying].filter { $0.type == "task.token" }
                #expect(!before.isEmpty, "the first attempt streamed part of its answer")
                #expect(text.hasPrefix(before.map { $0.data["delta"]?.stringValue ?? "" }.joined()))
                #expect(before.allSatisfy { $0.data["attempt"]?.intValue == 1 })
                try Self.checkTokens(events, status: status)
            }
        }
    }

    @Test("a worker killed mid-stream is recovered like any other task: the new attempt streams the whole answer again")
    func workerKilledMidStream() async throws {
        let text = String(repeating: "A slow answer that outlives its first worker. ", count: 3)
        let stub = StubResponse(body: OpenAIFixtures.success(text: text), pieceDelay: .milliseconds(60))
        try await LoopbackProviderServer.with([stub]) { server, baseURL in
            let environment = ["OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-test", "TASK_LEASE_SECONDS": "1"]
            try await withCluster(environment: environment) { cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                let doomed = try cluster.startWorker()
                let id = try await gateway.submit(
                    #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "backend", "input_data": {"task": "Answer"}, "llm_model": "gpt-4o", "max_attempts": 3}]}"#
                )
                let url = gateway.baseURL + "/workflows/\(id)/events"
                let seen = try await SSEClient(url).collect(until: .seconds(30)) { events in
                    events.contains { $0.type == "task.token" }
                }
                cluster.signal(doomed, SIGKILL)
                try cluster.startWorker()
                let rest = try await SSEClient(url, lastEventID: seen.last?.id).collect(until: .seconds(60))
                let events = seen + rest
                let status = try await gateway.status(id)
                #expect(status.status == .completed)
                #expect(status.tasks[0].result?["output"]?["message"]?.stringValue == text)
                #expect(server.requests.count == 2)
                #expect(events.contains { $0.type == "task.retrying" })
                try Self.checkTokens(events, status: status)
            }
        }
    }

    @Test("echo with ECHO_LATENCY_MS streams its answer in several token events")
    func echoStreams() async throws {
        try await withCluster(environment: ["ECHO_LATENCY_MS": "600"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            let id = try await gateway.submit(
                #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "qa", "input_data": {"task": "Write the tests for the login page"}}]}"#
            )
            let events = try await SSEClient(gateway.baseURL + "/workflows/\(id)/events").collect(until: .seconds(30))
            let status = try await gateway.status(id)
            try Self.checkTokens(events, status: status)
            #expect(events.filter { $0.type == "task.token" }.count >= 3)
        }
    }
}
