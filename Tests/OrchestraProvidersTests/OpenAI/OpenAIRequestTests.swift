import AsyncHTTPClient
import OrchestraAPI
import OrchestraProviderTestSupport
import OrchestraProviders
import Testing

@Suite("OpenAI-style providers: the request on the wire and the parsed answer", .timeLimit(.minutes(5)))
struct OpenAIRequestTests {
    let request = LLMRequest(
        model: "gpt-4o-mini",
        systemPrompt: "You are a QA engineer.",
        userPrompt: "Write tests.\n\nContext from previous steps:\n[Dependency backend]\nAPI done.",
        temperature: 0.2,
        maxTokens: 300,
        timeout: .seconds(5)
    )

    @Test func sendsChatCompletionWithBearerKey() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: OpenAIFixtures.success)]) { server, base in
            let provider = OpenAIProvider(baseURL: base + "/v1/", apiKey: APIKey("sk-test-123"), httpClient: .shared)
            let response = try await provider.complete(self.request)

            let received = try #require(server.requests.first)
            #expect(server.requests.count == 1)
            #expect(received.method == "POST")
            #expect(received.path == "/v1/chat/completions")
            #expect(received.headers["authorization"] == "Bearer sk-test-123")
            #expect(received.headers["content-type"] == "application/json")
            #expect(received.json["model"] as? String == "gpt-4o-mini")
            #expect(received.json["temperature"] as? Double == 0.2)
            #expect(received.json["max_tokens"] as? Int == 300)
            #expect(received.messages.count == 2)
            #expect(received.messages.first?["role"] as? String == "system")
            #expect(received.messages.first?["content"] as? String == "You are a QA engineer.")
            #expect(received.messages.last?["role"] as? String == "user")
            #expect(received.messages.last?["content"] as? String == self.request.userPrompt)

            #expect(response.text == "Here is the plan.")
            #expect(response.provider == "openai")
            #expect(response.model == "gpt-4o-mini")
            #expect(response.usage == TokenUsage(promptTokens: 19, completionTokens: 10, totalTokens: 29))
        }
    }

    @Test func keylessCompatibleServerGetsNoAuthorizationAndNoOptionalFields() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: OpenAIFixtures.successWithoutUsage)]) { server, base in
            let provider = OpenAIProvider(name: "openai-compatible", baseURL: base + "/v1", apiKey: nil, httpClient: .shared)
            let response = try await provider.complete(LLMRequest(model: "llama3.1", userPrompt: "hi", timeout: .seconds(5)))

            let received = try #require(server.requests.first)
            #expect(received.headers["authorization"] == nil)
            #expect(received.json["temperature"] == nil)
            #expect(received.json["max_tokens"] == nil)
            #expect(received.messages.count == 1, "an empty system prompt is not sent")
            #expect(received.messages.first?["role"] as? String == "user")
            #expect(response.text == "local answer")
            #expect(response.provider == "openai-compatible")
            #expect(response.usage == nil)
        }
    }

    @Test func grokUsesTheSameWireFormatUnderItsOwnName() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: OpenAIFixtures.success)]) { server, base in
            let provider = OpenAIProvider(name: "grok", baseURL: base + "/v1", apiKey: APIKey("xai-abc"), httpClient: .shared)
            var request = self.request
            request.model = "grok-3"
            let response = try await provider.complete(request)
            #expect(server.requests.first?.path == "/v1/chat/completions")
            #expect(server.requests.first?.headers["authorization"] == "Bearer xai-abc")
            #expect(server.requests.first?.json["model"] as? String == "grok-3")
            #expect(response.provider == "grok")
            #expect(response.model == "grok-3")
        }
    }

    @Test func defaultBaseURLs() {
        #expect(OpenAIProvider.openAIBaseURL == "https://api.openai.com/v1")
        #expect(OpenAIProvider.grokBaseURL == "https://api.x.ai/v1")
    }
}
