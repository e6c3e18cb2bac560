import AsyncHTTPClient
import OrchestraAPI
import OrchestraProviderTestSupport
import OrchestraProviders
import Testing

@Suite("Anthropic messages API", .timeLimit(.minutes(5)))
struct AnthropicProviderTests {
    let request = LLMRequest(
        model: "claude-sonnet-4-20250514",
        systemPrompt: "You are a backend engineer.",
        userPrompt: "Design the API.",
        temperature: 0.7,
        timeout: .seconds(5)
    )

    @Test func sendsMessagesRequestWithAnthropicHeadersAndTopLevelSystem() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: AnthropicFixtures.success)]) { server, base in
            let provider = AnthropicProvider(baseURL: base, apiKey: APIKey("sk-ant-api03-xyz"), httpClient: .shared)
            let response = try await provider.complete(self.request)

            let received = try #require(server.requests.first)
            #expect(received.method == "POST")
            #expect(received.path == "/v1/messages")
            #expect(received.headers["x-api-key"] == "sk-ant-api03-xyz")
            #expect(received.headers["anthropic-version"] == "2023-06-01")
            #expect(received.headers["content-type"] == "application/json")
            #expect(received.headers["authorization"] == nil)
            #expect(received.json["model"] as? String == "claude-sonnet-4-20250514")
            #expect(received.json["system"] as? String == "You are a backend engineer.")
            #expect(received.json["max_tokens"] as? Int == 1024, "Anthropic requires max_tokens; the default is sent")
            #expect(received.json["temperature"] as? Double == 0.7)
            #expect(received.messages.count == 1)
            #expect(received.messages.first?["role"] as? String == "user")
            #expect(received.messages.first?["content"] as? String == "Design the API.")

            #expect(response.text == "Hello, world")
            #expect(response.provider == "anthropic")
            #expect(response.model == "claude-sonnet-4-20250514")
            #expect(response.usage == TokenUsage(promptTokens: 12, completionTokens: 6, totalTokens: 18))
        }
    }

    @Test func explicitMaxTokensAndNoSystemPrompt() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: AnthropicFixtures.success)]) { server, base in
            let provider = AnthropicProvider(baseURL: base + "/v1/", apiKey: APIKey("k"), httpClient: .shared)
            _ = try await provider.complete(LLMRequest(model: "claude-x", userPrompt: "hi", maxTokens: 50, timeout: .seconds(5)))
            let received = try #require(server.requests.first)
            #expect(received.path == "/v1/messages", "a base ending in /v1 is not doubled")
            #expect(received.json["max_tokens"] as? Int == 50)
            #expect(received.json["system"] == nil)
            #expect(received.json["temperature"] == nil)
        }
    }

    @Test func messagesURLFromBase() {
        let client = HTTPClient.shared
        #expect(AnthropicProvider(apiKey: nil, httpClient: client).messagesURL == "https://api.anthropic.com/v1/messages")
        #expect(
            AnthropicProvider(baseURL: "http://127.0.0.1:9/", apiKey: nil, httpClient: client).messagesURL
                == "http://127.0.0.1:9/v1/messages")
        #expect(
            AnthropicProvider(baseURL: "http://proxy/llm/v1", apiKey: nil, httpClient: client).messagesURL == "http://proxy/llm/v1/messages"
        )
    }

    private func failure(_ stub: StubResponse) async throws -> ProviderError {
        try await LoopbackProviderServer.with([stub]) { _, base in
            let provider = AnthropicProvider(baseURL: base, apiKey: APIKey("sk-ant-k"), httpClient: .shared)
            return try #require(await #expect(throws: ProviderError.self) { try await provider.complete(self.request) })
        }
    }

    @Test func rateLimitWithHTTPDateRetryAfter() async throws {
        // An HTTP-date ~5 s ahead: the parsed wait must be close to 5 s.
        let error = try await failure(
            StubResponse(status: 429, headers: [("retry-after", httpDate(secondsFromNow: 5))], body: AnthropicFixtures.rateLimited))
        #expect(error.code == .rateLimited)
        #expect(!error.spendsAttempt)
        let wait = try #require(error.retryAfter)
        #expect(wait > .seconds(3) && wait <= .seconds(6), "wait \(wait)")
        #expect(error.message == "Number of request tokens has exceeded your per-minute rate limit (rate_limit_error)")
    }

    @Test func overloaded529IsARetryableServerError() async throws {
        let error = try await failure(StubResponse(status: 529, body: AnthropicFixtures.overloaded))
        #expect(error.code == .serverError)
        #expect(error.isRetryable)
        #expect(error.message == "Overloaded (overloaded_error)")
    }

    @Test func badRequestCarriesTheProvidersMessage() async throws {
        let error = try await failure(StubResponse(status: 400, body: AnthropicFixtures.badRequest))
        #expect(error.code == .invalidRequest)
        #expect(!error.isRetryable)
        #expect(error.message == "max_tokens: Field required (invalid_request_error)")
    }

    @Test func forbiddenIsAuthentication() async throws {
        let error = try await failure(
            StubResponse(status: 403, body: AnthropicFixtures.error(type: "permission_error", message: "no access")))
        #expect(error.code == .authentication)
    }

    @Test func malformedBodies() async throws {
        let missing = try await failure(StubResponse(body: AnthropicFixtures.missingContent))
        #expect(missing.code == .malformedResponse)
        #expect(missing.message == "missing field content")
        let truncated = try await failure(StubResponse(body: #"{"content":[{"type":"text","text":"cut"#))
        #expect(truncated.code == .malformedResponse)
    }
}
