import OrchestraAPI

/// Turns one provider's event stream into its answer, event by event.
protocol StreamAccumulator: Sendable {
    /// Whether the stream's end marker arrived (`[DONE]`, `message_stop`); later events are ignored.
    var isComplete: Bool { get }
    /// Whether the answer is whole even without the end marker (the model reported why it
    /// stopped), so a stream that ends cleanly here is accepted.
    var isFinished: Bool { get }

    /// Reads one event and returns the text it adds to the answer (empty for none). Throws a
    /// ``ProviderError`` for an error event or one that cannot be read.
    mutating func consume(_ event: ServerSentEvent) throws(ProviderError) -> String

    /// The answer, once the stream is complete or finished.
    func response() throws(ProviderError) -> LLMResponse
}
