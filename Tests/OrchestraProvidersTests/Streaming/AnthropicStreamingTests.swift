import AsyncHTTPClient
import OrchestraAPI
import OrchestraProviderTestSupport
import OrchestraProviders
import Testing

@Suite("Anthropic messages API: streaming", .timeLimit(.minutes(5)))
struct AnthropicStreamingTests {
    let request = LLMRequest(model: "claude-sonnet-4-20250514", systemPrompt: "sys", userPrompt: "user", timeout: .seconds(5))

    private func provider(_ base: String) -> AnthropicProvider {
        AnthropicProvider(baseURL: base, apiKey: APIKey("sk-ant-k"), httpClient: .shared)
    }

    @Test func deltasConcatenateToExactlyTheNonStreamedAnswer() async throws {
        // Two text blocks, joined as the non-streamed answer joins them.
        try await LoopbackProviderServer.with([StubResponse(body: AnthropicFixtures.success)]) { server, base in
            let pieces = TextPieces()
            let streamed = try await provider(base).complete(request, onText: pieces.append)
            let whole = try await provider(base).complete(request)

            #expect(streamed == whole)
            #expect(streamed.text == "Hello, world")
            #expect(streamed.usage == TokenUsage(promptTokens: 12, completionTokens: 6))
            #expect(pieces.text == "Hello, world")
            #expect(pieces.all.count == 5, "Hel lo / , w orl d")

            let requests = server.requests
            #expect(requests[0].json["stream"] as? Bool == true)
            #expect(requests[0].headers["accept"] == "text/event-stream")
            #expect(requests[0].headers["anthropic-version"] == "2023-06-01")
            #expect(requests[1].json["stream"] == nil)
        }
    }

    @Test func multiByteTextArrivesWhole() async throws {
        let body = AnthropicFixtures.success(text: "naïve café — 日本語 ✅ 🎉🎉", inputTokens: 40, outputTokens: 17)
        try await LoopbackProviderServer.with([StubResponse(body: body)]) { _, base in
            let pieces = TextPieces()
            let streamed = try await provider(base).complete(request, onText: pieces.append)
            #expect(streamed.text == "naïve café — 日本語 ✅ 🎉🎉")
            #expect(streamed.usage == TokenUsage(promptTokens: 40, completionTokens: 17))
            #expect(pieces.text == streamed.text)
        }
    }

    @Test func anOverloadedErrorEventIsATransientServerError() async throws {
        let stub = StubResponse(
            body: AnthropicFixtures.success(text: "A long answer"),
            behaviour: .streamError(afterPieces: 2, error: AnthropicFixtures.overloaded))
        try await LoopbackProviderServer.with([stub]) { _, base in
            let pieces = TextPieces()
            let error = try #require(
                await #expect(throws: ProviderError.self) { try await provider(base).complete(request, onText: pieces.append) })
            #expect(error.code == .serverError)
            #expect(error.isRetryable)
            #expect(error.message == "error in the stream: Overloaded (overloaded_error)")
            #expect(pieces.text == "A long")
        }
    }

    @Test func anInvalidRequestErrorEventIsFinal() async throws {
        let stub = StubResponse(
            body: AnthropicFixtures.success(text: "A long answer"),
            behaviour: .streamError(afterPieces: 0, error: AnthropicFixtures.badRequest))
        try await LoopbackProviderServer.with([stub]) { _, base in
            let error = try #require(await #expect(throws: ProviderError.self) { try await provider(base).complete(request) { _ in } })
            #expect(error.code == .invalidRequest)
            #expect(!error.isRetryable)
        }
    }

    @Test func aStreamCutMidAnswerIsATransientError() async throws {
        let body = AnthropicFixtures.success(text: "This answer will be cut.")
        try await LoopbackProviderServer.with([StubResponse(body: body, behaviour: .cutStream(afterPieces: 3))]) { _, base in
            let pieces = TextPieces()
            let error = try #require(
                await #expect(throws: ProviderError.self) { try await provider(base).complete(request, onText: pieces.append) })
            #expect(error.code == .connection)
            #expect(error.isRetryable)
            // What arrived before the cut was reported, in order; the server's close can overtake
            // its last writes on a loaded machine, so a prefix of it.
            #expect("This answ".hasPrefix(pieces.text), "\(pieces.text)")
        }
    }

    @Test func errorStatusesAreClassifiedAsWithoutStreaming() async throws {
        let stubs = [
            StubResponse(status: 429, headers: [("retry-after", "2")], body: AnthropicFixtures.rateLimited),
            StubResponse(status: 529, body: AnthropicFixtures.overloaded),
            StubResponse(status: 400, body: AnthropicFixtures.badRequest),
        ]
        for stub in stubs {
            try await LoopbackProviderServer.with([stub]) { _, base in
                let streamed = try #require(
                    await #expect(throws: ProviderError.self) { try await provider(base).complete(request) { _ in } })
                let whole = try #require(await #expect(throws: ProviderError.self) { try await provider(base).complete(request) })
                #expect(streamed == whole, "HTTP \(stub.status)")
            }
        }
    }
}
