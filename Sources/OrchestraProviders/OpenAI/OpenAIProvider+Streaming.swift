extension OpenAIProvider {
    /// Sends the request with `"stream": true` and `stream_options.include_usage`, reporting each
    /// `choices[0].delta.content` as it arrives. Error statuses are classified as by ``complete(_:)``;
    /// an `error` chunk, or a stream that ends before `[DONE]` (or a finish reason), throws.
    public func complete(_ request: LLMRequest, onText: @escaping @Sendable (String) async -> Void) async throws -> LLMResponse {
        let exchange = try await self.transport.postStreaming(
            url: self.completionsURL, headers: self.headers, body: Self.body(of: request, stream: true), timeout: request.timeout,
            accumulator: OpenAIStreamAccumulator(provider: self.name, model: request.model, secrets: self.transport.secrets),
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
