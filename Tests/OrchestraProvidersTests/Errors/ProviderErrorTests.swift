import AsyncHTTPClient
import OrchestraProviderTestSupport
import OrchestraProviders
import Testing

@Suite("ProviderError classification and secrecy", .timeLimit(.minutes(5)))
struct ProviderErrorTests {
    @Test(arguments: [
        (ProviderError.Code.rateLimited, true, false),
        (.serverError, true, true),
        (.timeout, true, true),
        (.connection, true, true),
        (.conflict, true, true),
        (.invalidRequest, false, true),
        (.authentication, false, true),
        (.malformedResponse, false, true),
        (.notConfigured, false, true),
    ])
    func retryPolicy(code: ProviderError.Code, retryable: Bool, spends: Bool) {
        let error = ProviderError(code, provider: "openai")
        #expect(error.isRetryable == retryable)
        #expect(error.spendsAttempt == spends)
    }

    @Test func descriptionShape() {
        let error = ProviderError(.rateLimited, provider: "openai", status: 429, retryAfter: .milliseconds(2500), message: "slow down")
        #expect(error.description == "openai: rate_limited (HTTP 429, retry after 2.5 s): slow down")
        #expect(ProviderError(.timeout, provider: "echo").description == "echo: timeout")
    }

    @Test func messagesAreRedactedAndBounded() {
        let key = "sk-live-abcdef"
        let error = ProviderError(.invalidRequest, provider: "x", message: "bad key \(key) and \(key)", redacting: [key])
        #expect(error.message == "bad key [redacted] and [redacted]")
        let long = ProviderError(.invalidRequest, provider: "x", message: String(repeating: "a", count: 5000))
        #expect((long.message?.count ?? 0) <= 501)
    }

    /// A key that a hostile server quotes back in every kind of failure never reaches a description.
    @Test func keyNeverAppearsInAnyErrorDescription() async throws {
        let key = "sk-SECRET-KEY-0123456789-abcdefghijklmnop"
        let echoed = "\(key) was used; key=\(key)"
        let stubs: [StubResponse] = [
            StubResponse(status: 400, body: OpenAIFixtures.invalidKey(echoing: echoed)),
            StubResponse(status: 401, body: OpenAIFixtures.invalidKey(echoing: echoed)),
            StubResponse(status: 403, body: AnthropicFixtures.error(type: "permission_error", message: echoed)),
            StubResponse(status: 404, body: #"{"error":"\#(echoed)"}"#),
            StubResponse(status: 408, body: echoed),
            StubResponse(status: 409, body: AnthropicFixtures.error(type: "conflict", message: echoed)),
            StubResponse(status: 429, headers: [("retry-after", "1")], body: OpenAIFixtures.invalidKey(echoing: echoed)),
            StubResponse(
                status: 429, body: AnthropicFixtures.error(type: "rate_limit_error", message: String(repeating: "x", count: 480) + key)),
            StubResponse(status: 500, body: OpenAIFixtures.invalidKey(echoing: echoed)),
            StubResponse(status: 529, body: AnthropicFixtures.error(type: "overloaded_error", message: echoed)),
            StubResponse(status: 200, body: echoed),
            StubResponse(status: 200, body: #"{"choices":[{"message":{"content":null}}],"content":"\#(echoed)"}"#),
            StubResponse(status: 302, body: echoed),
            .hang,
        ]
        var descriptions: [String] = []
        for stub in stubs {
            try await LoopbackProviderServer.with([stub]) { _, base in
                let client = HTTPClient.shared
                let providers: [any LLMProvider] = [
                    OpenAIProvider(baseURL: base, apiKey: APIKey(key), httpClient: client),
                    AnthropicProvider(baseURL: base, apiKey: APIKey(key), httpClient: client),
                ]
                for provider in providers {
                    let request = LLMRequest(
                        model: "m", systemPrompt: "SYSTEM-PROMPT", userPrompt: "USER-PROMPT", timeout: .milliseconds(300))
                    let error = try #require(await #expect(throws: ProviderError.self) { try await provider.complete(request) })
                    descriptions.append(error.description)
                    descriptions.append(String(describing: error))
                    descriptions.append(String(reflecting: error))
                }
            }
        }
        let refused = OpenAIProvider(baseURL: "http://127.0.0.1:1/v1", apiKey: APIKey(key), httpClient: .shared)
        let error = try #require(
            await #expect(throws: ProviderError.self) {
                try await refused.complete(LLMRequest(model: "m", userPrompt: "USER-PROMPT", timeout: .seconds(2)))
            })
        descriptions.append(error.description)

        #expect(descriptions.count == stubs.count * 6 + 1)
        for description in descriptions {
            #expect(!description.contains("SECRET"), "\(description)")
            #expect(!description.contains("0123456789-abc"), "\(description)")
            #expect(!description.contains("USER-PROMPT") && !description.contains("SYSTEM-PROMPT"), "\(description)")
        }
    }

    @Test func apiKeyAndProvidersDoNotPrintTheKey() {
        let key = APIKey("sk-hidden-value")
        #expect(String(describing: key) == "[redacted]")
        #expect(String(reflecting: key) == "[redacted]")
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("hidden"))
        let provider = OpenAIProvider(apiKey: key, httpClient: .shared)
        #expect(!String(describing: provider).contains("hidden"))
        var dumpedProvider = ""
        dump(provider, to: &dumpedProvider)
        #expect(!dumpedProvider.contains("hidden"))
    }
}
