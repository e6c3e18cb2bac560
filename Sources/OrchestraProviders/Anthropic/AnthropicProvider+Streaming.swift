extension AnthropicProvider {
    /// Sends the request with `"stream": true`, reporting each `text_delta` as it arrives. Error
    /// statuses are classified as by ``complete(_:)``; an `error` event (e.g. `overloaded_error`,
    /// a server error) or a stream that ends before `message_stop` (or a stop reason) throws.
    public func complete(_ request: LLMRequest, onText: @escaping @Sendable (String) async -> Void) async throws -> LLMResponse {
        let exchange = try await self.transport.postStreaming(
            url: self.messagesURL, headers: self.headers, body: self.body(of: request, stream: true), timeout: request.timeout,
            accumulator: AnthropicStreamAccumulator(provider: self.name, model: request.model, secrets: self.transport.secrets),
            onText: onText)
        switch exchange {
        case .streamed(let answer):
            return answer
        case .answered(let response):
            let answer = try self.answer(from: response, model: request.model)
            if !answer.text.isEmpty { await onText(answer.text) }
            return answer
        }
    }
}
