extension OpenAIProvider {
    /// Sends the request with `"stream": true` and `stream_options.include_usage`, reporting each
    /// `choices[0].delta.content` as it arrives. Error statuses are classified as by ``complete(_:)``;
    /// an `error` chunk, or a stream that ends before `[DONE]` (or a finish reason), throws.
    public func complete(_ request: LLMRequest, onText: @escaping @Sendable (String) async -> Void) async throws -> LLMResponse {
        let exchange = try await self.transport.postStreaming(
            url: self.completionsURL, headers: self.headers, body: Self.body(of: request, stream: true), timeout: request.timeout,
            accumulator: OpenAIStreamAccumulator(provider: self.name, model: request.model, secrets: self.transport.secrets),
            onText: onText)
        return try await exchange.answer(decodingPlain: { try self.answer(from: $0, model: request.model) }, onText: onText)
    }
}
