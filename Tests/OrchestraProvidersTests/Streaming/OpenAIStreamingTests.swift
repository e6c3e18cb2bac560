import AsyncHTTPClient
import OrchestraAPI
import OrchestraProviderTestSupport
import OrchestraProviders
import Testing

@Suite("OpenAI-style providers: streaming", .timeLimit(.minutes(5)))
struct OpenAIStreamingTests {
    let request = LLMRequest(model: "gpt-4o-mini", systemPrompt: "sys", userPrompt: "user", timeout: .seconds(5))

    private func provider(_ base: String) -> OpenAIProvider {
        OpenAIProvider(name: "openai", baseURL: base + "/v1", apiKey: APIKey("sk-test"), httpClient: .shared)
    }

    @Test func deltasConcatenateToExactlyTheNonStreamedAnswer() async throws {
        let body = OpenAIFixtures.success(text: "Plan: héllo — 世界 🎉, then ship.", promptTokens: 23, completionTokens: 11)
        try await LoopbackProviderServer.with([StubResponse(body: body)]) { server, base in
            let pieces = TextPieces()
            let streamed = try await provider(base).complete(request, onText: pieces.append)
            let whole = try await provider(base).complete(request)

            #expect(streamed == whole)
            #expect(streamed.text == "Plan: héllo — 世界 🎉, then ship.")
            #expect(streamed.usage == TokenUsage(promptTokens: 23, completionTokens: 11, totalTokens: 34))
            #expect(pieces.text == streamed.text)
            #expect(pieces.all.count == StreamedAnswer.pieces(of: streamed.text).count, "one report per delta")

            let requests = server.requests
            #expect(requests.count == 2)
            #expect(requests[0].json["stream"] as? Bool == true)
            #expect((requests[0].json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
            #expect(requests[0].headers["accept"] == "text/event-stream")
            #expect(requests[1].json["stream"] == nil, "the non-streaming call is unchanged")
            #expect(requests[1].json["stream_options"] == nil)
        }
    }

    @Test func aRefusalIsTheAnswerAndIsReported() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: OpenAIFixtures.refusal)]) { _, base in
            let pieces = TextPieces()
            let streamed = try await provider(base).complete(request, onText: pieces.append)
            let whole = try await provider(base).complete(request)
            #expect(streamed == whole)
            #expect(streamed.text == "I can't help with that.")
            #expect(pieces.text == streamed.text)
        }
    }

    @Test func aServerThatIgnoresStreamingStillAnswers() async throws {
        var stub = StubResponse(body: OpenAIFixtures.success)
        stub.streams = false
        try await LoopbackProviderServer.with([stub]) { _, base in
            let pieces = TextPieces()
            let response = try await provider(base).complete(request, onText: pieces.append)
            #expect(response.text == "Here is the plan.")
            #expect(response.usage == TokenUsage(promptTokens: 19, completionTokens: 10, totalTokens: 29))
            #expect(pieces.all == ["Here is the plan."])
        }
    }

    @Test func aStreamCutMidAnswerIsATransientError() async throws {
        let body = OpenAIFixtures.success(text: "This answer will be cut in the middle of it.")
        try await LoopbackProviderServer.with([StubResponse(body: body, behaviour: .cutStream(afterPieces: 4))]) { _, base in
            let pieces = TextPieces()
            let error = try #require(
                await #expect(throws: ProviderError.self) { try await provider(base).complete(request, onText: pieces.append) })
            #expect(error.code == .connection)
            #expect(error.isRetryable)
            // What arrived before the cut was reported, in order; the server's close can overtake
            // its last writes on a loaded machine, so a prefix of it.
            #expect("This answer ".hasPrefix(pieces.text), "\(pieces.text)")
        }
    }

    @Test func anErrorChunkMidStreamThrowsAServerError() async throws {
        let stub = StubResponse(
            body: OpenAIFixtures.success(text: "Half of an answer"),
            behaviour: .streamError(afterPieces: 2, error: OpenAIFixtures.streamServerError))
        try await LoopbackProviderServer.with([stub]) { _, base in
            let pieces = TextPieces()
            let error = try #require(
                await #expect(throws: ProviderError.self) { try await provider(base).complete(request, onText: pieces.append) })
            #expect(error.code == .serverError)
            #expect(error.isRetryable)
            #expect(error.status == nil)
            #expect(error.message?.contains("The server had an error") == true)
            #expect(pieces.text == "Half o")
        }
    }

    @Test func aRateLimitErrorChunkIsARateLimit() async throws {
        let stub = StubResponse(
            body: OpenAIFixtures.success(text: "Half of an answer"),
            behaviour: .streamError(afterPieces: 1, error: OpenAIFixtures.rateLimited))
        try await LoopbackProviderServer.with([stub]) { _, base in
            let error = try #require(await #expect(throws: ProviderError.self) { try await provider(base).complete(request) { _ in } })
            #expect(error.code == .rateLimited)
        }
    }

    @Test func errorStatusesAreClassifiedAsWithoutStreaming() async throws {
        let stubs = [
            StubResponse(status: 429, headers: [("retry-after", "7")], body: OpenAIFixtures.rateLimited),
            StubResponse(status: 503, headers: [("retry-after", "3")], body: OpenAIFixtures.serverError),
            StubResponse(status: 500, body: OpenAIFixtures.serverError),
            StubResponse(status: 400, body: OpenAIFixtures.badRequest),
            StubResponse(status: 401, body: OpenAIFixtures.invalidKey(echoing: "sk-test")),
            StubResponse(status: 502, body: OpenAIFixtures.notJSON),
        ]
        for stub in stubs {
            try await LoopbackProviderServer.with([stub]) { _, base in
                let pieces = TextPieces()
                let streamed = try #require(
                    await #expect(throws: ProviderError.self) { try await provider(base).complete(request, onText: pieces.append) })
                let whole = try #require(await #expect(throws: ProviderError.self) { try await provider(base).complete(request) })
                #expect(streamed == whole, "HTTP \(stub.status)")
                #expect(pieces.all.isEmpty)
            }
        }
    }

    @Test func aStalledStreamTimesOut() async throws {
        let body = OpenAIFixtures.success(text: "An answer that stops halfway and never ends.")
        try await LoopbackProviderServer.with([StubResponse(body: body, behaviour: .stallBody)]) { _, base in
            var request = self.request
            request.timeout = .seconds(3)
            let pieces = TextPieces()
            let error = try #require(
                await #expect(throws: ProviderError.self) { try await provider(base).complete(request, onText: pieces.append) })
            #expect(error.code == .timeout)
            #expect(!pieces.all.isEmpty, "the first half was streamed before the stall")
        }
    }
}
