import AsyncHTTPClient
import OrchestraProviderTestSupport
import OrchestraProviders
import Testing

@Suite("OpenAI-style providers: errors from the wire", .timeLimit(.minutes(5)))
struct OpenAIErrorTests {
    let request = LLMRequest(model: "gpt-4o-mini", systemPrompt: "sys", userPrompt: "user", timeout: .seconds(5))

    private func failure(_ stub: StubResponse, key: String? = "sk-test") async throws -> (ProviderError, Int) {
        try await LoopbackProviderServer.with([stub]) { server, base in
            let provider = OpenAIProvider(baseURL: base + "/v1", apiKey: key.map(APIKey.init), httpClient: .shared)
            let error = try #require(await #expect(throws: ProviderError.self) { try await provider.complete(self.request) })
            return (error, server.requests.count)
        }
    }

    @Test func rateLimitWithRetryAfterSecondsDoesNotSpendAnAttempt() async throws {
        let (error, calls) = try await failure(
            StubResponse(status: 429, headers: [("retry-after", "7")], body: OpenAIFixtures.rateLimited))
        #expect(calls == 1)
        #expect(error.code == .rateLimited)
        #expect(error.status == 429)
        #expect(error.retryAfter == .seconds(7))
        #expect(error.isRetryable)
        #expect(!error.spendsAttempt)
        #expect(error.message?.contains("Rate limit reached for gpt-4o-mini") == true)
    }

    @Test func retryAfterMillisecondsWinsOverSeconds() async throws {
        let (error, _) = try await failure(
            StubResponse(status: 429, headers: [("retry-after", "1"), ("retry-after-ms", "1500")], body: OpenAIFixtures.rateLimited))
        #expect(error.retryAfter == .milliseconds(1500))
    }

    @Test func serverErrorIsRetryableAndSpendsAnAttempt() async throws {
        let (error, _) = try await failure(StubResponse(status: 500, body: OpenAIFixtures.serverError))
        #expect(error.code == .serverError)
        #expect(error.status == 500)
        #expect(error.isRetryable)
        #expect(error.spendsAttempt)
        #expect(error.retryAfter == nil)
        #expect(error.message?.contains("The server had an error") == true)
    }

    @Test func serviceUnavailableCarriesRetryAfter() async throws {
        let (error, _) = try await failure(StubResponse(status: 503, headers: [("retry-after", "3")], body: OpenAIFixtures.serverError))
        #expect(error.code == .serverError)
        #expect(error.retryAfter == .seconds(3))
    }

    @Test func badRequestFailsWithTheProvidersMessage() async throws {
        let (error, _) = try await failure(StubResponse(status: 400, body: OpenAIFixtures.badRequest))
        #expect(error.code == .invalidRequest)
        #expect(!error.isRetryable)
        #expect(error.message == "Invalid value for 'temperature': must be between 0 and 2. (invalid_request_error, invalid_value)")
        #expect(error.description.contains("HTTP 400"))
    }

    @Test func notFoundModelIsAnInvalidRequest() async throws {
        let (error, _) = try await failure(StubResponse(status: 404, body: OpenAIFixtures.modelNotFound))
        #expect(error.code == .invalidRequest)
        #expect(error.message?.contains("does not exist") == true)
    }

    @Test func ollamaStyleStringErrorIsUnderstood() async throws {
        let (error, _) = try await failure(StubResponse(status: 404, body: OpenAIFixtures.ollamaError), key: nil)
        #expect(error.message == "model \"llama9\" not found, try pulling it first")
    }

    @Test func unauthorizedIsAnAuthenticationErrorWithoutTheKey() async throws {
        let key = "sk-proj-SECRET-0123456789abcdef"
        let (error, _) = try await failure(StubResponse(status: 401, body: OpenAIFixtures.invalidKey(echoing: key)), key: key)
        #expect(error.code == .authentication)
        #expect(!error.isRetryable)
        #expect(!error.description.contains(key))
        #expect(!error.description.contains("SECRET"))
        #expect(error.description.contains("[redacted]"))
    }

    @Test(arguments: [(408, ProviderError.Code.timeout), (409, .conflict)])
    func requestTimeoutAndConflictAreRetryable(status: Int, code: ProviderError.Code) async throws {
        let (error, _) = try await failure(StubResponse(status: status, body: OpenAIFixtures.serverError))
        #expect(error.code == code)
        #expect(error.isRetryable)
        #expect(error.spendsAttempt)
    }

    @Test func nonJSONErrorBodyIsReportedWithoutQuotingIt() async throws {
        let (error, _) = try await failure(StubResponse(status: 502, body: OpenAIFixtures.notJSON))
        #expect(error.code == .serverError)
        #expect(error.message?.contains("not in the provider's format") == true)
        #expect(!error.description.contains("<html>"))
    }

    @Test func malformedSuccessBodies() async throws {
        let (notJSON, _) = try await failure(StubResponse(body: OpenAIFixtures.notJSON))
        #expect(notJSON.code == .malformedResponse)
        #expect(!notJSON.isRetryable)
        #expect(notJSON.message == "the body is not valid JSON")

        let (noChoices, _) = try await failure(StubResponse(body: OpenAIFixtures.missingChoices))
        #expect(noChoices.code == .malformedResponse)
        #expect(noChoices.message == "missing field choices[0].message")

        let (nullContent, _) = try await failure(StubResponse(body: OpenAIFixtures.nullContent))
        #expect(nullContent.code == .malformedResponse)
        #expect(nullContent.message == "choices[0].message.content is null")

        let (badUsage, _) = try await failure(
            StubResponse(body: #"{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":"many"}}"#))
        #expect(badUsage.code == .malformedResponse)
        #expect(badUsage.message == "usage.prompt_tokens is not of type Int")
    }
}
