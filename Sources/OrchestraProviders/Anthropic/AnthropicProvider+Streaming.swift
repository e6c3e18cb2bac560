extension AnthropicProvider {
    /// Sends the request with `"stream": true`, reporting each `text_delta` as it arrives. Error
    /// statuses are classified as by ``complete(_:)``; an `error` event (e.g. `overloaded_error`,
    /// a server error) or a stream that ends before `message_stop` (or a stop reason) throws.
    public func complete(_ request: LLMRequest, onText: @escaping @Sendable (String) async -> Void) async throws -> LLMResponse {
        let exchange = try await self.transport.postStreaming(
            url: self.messagesURL, headers: self.headers, body: self.body(of: request, stream: true), timeout: request.timeout,
            accumulator: AnthropicStreamAccumulator(provider: self.name, model: request.model, secrets: self.transport.secrets),
            onText: onText)
        return try await exchange.answer(decodingPlain: { try self.answer(from: $0, model: request.model) }, onText: onText)
    }
}
