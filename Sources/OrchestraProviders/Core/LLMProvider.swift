/// Something that answers prompts: a remote LLM API or the offline echo provider.
///
/// Implementations throw ``ProviderError`` for every failure of the call itself, and
/// `CancellationError` when the calling task was cancelled. They answer or fail within
/// ``LLMRequest/timeout`` (``ProviderError/Code/timeout``): the worker relies on it and adds no
/// second timer around the call.
public protocol LLMProvider: Sendable {
    /// The provider's name as used in routing (`provider/model`) and in results.
    var name: String { get }

    /// Sends one request and returns the model's answer.
    func complete(_ request: LLMRequest) async throws -> LLMResponse

    /// Sends one request with the provider's streaming API, reporting the answer's text to
    /// `onText` piece by piece as the model produces it, and returns the same answer (text, usage,
    /// model) as ``complete(_:)`` would.
    ///
    /// The pieces passed to `onText`, concatenated, are exactly the returned ``LLMResponse/text``,
    /// as far as the call got: a call that throws may have reported part of an answer. `onText` is
    /// awaited before the stream is read on, so it should return quickly.
    func complete(_ request: LLMRequest, onText: @escaping @Sendable (String) async -> Void) async throws -> LLMResponse
}

extension LLMProvider {
    /// For providers that cannot stream: the whole answer, reported once (unless empty).
    public func complete(_ request: LLMRequest, onText: @escaping @Sendable (String) async -> Void) async throws -> LLMResponse {
        let response = try await complete(request)
        if !response.text.isEmpty { await onText(response.text) }
        return response
    }
}
