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
}
