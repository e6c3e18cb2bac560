import AsyncHTTPClient
import OrchestraProviderTestSupport
import OrchestraProviders
import Testing

@Suite("Timeouts, dead servers and cancellation", .timeLimit(.minutes(5)))
struct TimeoutAndConnectionTests {
    private func request(timeout: Duration) -> LLMRequest {
        LLMRequest(model: "gpt-4o-mini", userPrompt: "hi", timeout: timeout)
    }

    @Test func hungServerTimesOutWithinTheRequestTimeout() async throws {
        try await LoopbackProviderServer.with([.hang]) { _, base in
            let provider = OpenAIProvider(baseURL: base + "/v1", apiKey: APIKey("k"), httpClient: .shared)
            let clock = ContinuousClock()
            let start = clock.now
            let error = try #require(
                await #expect(throws: ProviderError.self) { try await provider.complete(self.request(timeout: .milliseconds(300))) })
            let elapsed = clock.now - start
            #expect(error.code == .timeout)
            #expect(error.isRetryable)
            #expect(elapsed >= .milliseconds(290))
            #expect(elapsed < .seconds(2), "took \(elapsed)")
        }
    }

    @Test func bodyThatStallsAfterTheHeadTimesOutToo() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: OpenAIFixtures.success, behaviour: .stallBody)]) { _, base in
            let provider = OpenAIProvider(baseURL: base + "/v1", apiKey: nil, httpClient: .shared)
            let clock = ContinuousClock()
            let start = clock.now
            let error = try #require(
                await #expect(throws: ProviderError.self) { try await provider.complete(self.request(timeout: .milliseconds(400))) })
            #expect(error.code == .timeout)
            #expect(clock.now - start < .seconds(2))
        }
    }

    @Test func slowButInTimeAnswerSucceeds() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: OpenAIFixtures.success, delay: .milliseconds(100))]) { _, base in
            let provider = OpenAIProvider(baseURL: base + "/v1", apiKey: nil, httpClient: .shared)
            let response = try await provider.complete(self.request(timeout: .seconds(3)))
            #expect(response.text == "Here is the plan.")
        }
    }

    @Test func refusedConnectionIsARetryableConnectionError() async throws {
        // Port 1 on loopback: nothing listens there, so the kernel refuses at once.
        let provider = AnthropicProvider(baseURL: "http://127.0.0.1:1", apiKey: APIKey("sk-ant-secret"), httpClient: .shared)
        let error = try #require(
            await #expect(throws: ProviderError.self) { try await provider.complete(self.request(timeout: .seconds(3))) })
        #expect(error.code == .connection || error.code == .timeout)
        #expect(error.isRetryable)
        #expect(error.spendsAttempt)
        #expect(!error.description.contains("sk-ant-secret"))
    }

    @Test func cancellingTheCallerThrowsCancellationNotAProviderError() async throws {
        try await LoopbackProviderServer.with([.hang]) { server, base in
            let provider = OpenAIProvider(baseURL: base + "/v1", apiKey: nil, httpClient: .shared)
            let task = Task { try await provider.complete(self.request(timeout: .seconds(10))) }
            while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            task.cancel()
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
        }
    }
}
