import OrchestraAPI
import OrchestraProviders
import Testing

@Suite("Echo provider")
struct EchoProviderTests {
    @Test func namesRoleInstructionAndInputs() async throws {
        let request = LLMRequest(
            model: "echo", systemPrompt: "You test things.", userPrompt: "Write tests.\n\nContext from previous steps:\n...",
            agentRole: "qa", instruction: "Write tests", dependencyIDs: ["1", "2"])
        let response = try await EchoProvider().complete(request)
        #expect(response.text == "[echo] qa agent handled: Write tests. Inputs from: 1, 2.")
        #expect(response.provider == "echo")
        #expect(response.model == "echo")
        #expect(response.usage == TokenUsage(promptTokens: 10, completionTokens: 10))
    }

    @Test func deterministicWithoutMetadata() async throws {
        let request = LLMRequest(model: "echo", userPrompt: "Build   the\nlogin page.")
        let first = try await EchoProvider().complete(request)
        let second = try await EchoProvider().complete(request)
        #expect(first == second)
        #expect(first.text == "[echo] agent handled: Build the login page.")
    }

    @Test func outputIsBounded() async throws {
        let huge = String(repeating: "word ", count: 10_000)
        let ids = (0..<500).map { "task-\($0)-" + String(repeating: "x", count: 100) }
        let response = try await EchoProvider().complete(
            LLMRequest(
                model: "echo", userPrompt: huge, agentRole: String(repeating: "r", count: 500), instruction: huge, dependencyIDs: ids))
        #expect(response.text.utf8.count <= EchoProvider.maximumOutputBytes)
        #expect(response.text.hasPrefix("[echo] "))
        #expect(response.text.contains("…"))
        #expect(response.text.contains("task-0-"))
    }

    @Test func latencyIsHonouredAndCancellable() async throws {
        let provider = EchoProvider(latency: .milliseconds(150))
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await provider.complete(LLMRequest(model: "echo", userPrompt: "x"))
        #expect(clock.now - start >= .milliseconds(140))

        let slow = EchoProvider(latency: .seconds(30))
        // Cancelled before or during its wait, the call ends at once with CancellationError.
        let task = Task { try await slow.complete(LLMRequest(model: "echo", userPrompt: "x")) }
        let cancelledAt = clock.now
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(clock.now - cancelledAt < .seconds(2))
    }

    @Test func aLatencyLongerThanTheTimeoutIsATimeout() async throws {
        let provider = EchoProvider(latency: .seconds(30))
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: ProviderError.self) {
            try await provider.complete(LLMRequest(model: "echo", userPrompt: "x", timeout: .milliseconds(100)))
        }
        #expect(error?.code == .timeout)
        #expect(clock.now - start < .seconds(2))
    }

    @Test func streamsWordByWordOverItsLatency() async throws {
        let request = LLMRequest(
            model: "echo", userPrompt: "Build the login page.", agentRole: "frontend", instruction: "Build the login page")
        let pieces = TextPieces()
        let clock = ContinuousClock()
        let start = clock.now
        let streamed = try await EchoProvider(latency: .milliseconds(200)).complete(request, onText: pieces.append)
        #expect(clock.now - start >= .milliseconds(200))
        #expect(streamed == (try await EchoProvider().complete(request)))
        #expect(pieces.all == ["[echo] ", "frontend ", "agent ", "handled: ", "Build ", "the ", "login ", "page."])
    }

    @Test func withoutLatencyTheAnswerIsOnePiece() async throws {
        let request = LLMRequest(model: "echo", userPrompt: "Build the login page.")
        let pieces = TextPieces()
        let streamed = try await EchoProvider().complete(request, onText: pieces.append)
        #expect(pieces.all == [streamed.text])
    }
}
