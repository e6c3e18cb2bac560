import OrchestraAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads a streamed chat completion: `data:` chunks whose `choices[0].delta.content` pieces make
/// the text, a last chunk with `usage` (asked for with `stream_options.include_usage`), then
/// `data: [DONE]`. The answer equals the non-streamed one: the content (or the refusal when
/// there is no content), the same usage, the requested model.
struct OpenAIStreamAccumulator: StreamAccumulator {
    let provider: String
    let model: String
    let secrets: [String]
    private var content = ""
    private var hasContent = false
    private var refusal = ""
    private var hasRefusal = false
    private var usage: TokenUsage?
    private var finishReason: String?
    private(set) var isComplete = false

    init(provider: String, model: String, secrets: [String]) {
        self.provider = provider
        self.model = model
        self.secrets = secrets
    }

    var isFinished: Bool { self.finishReason != nil }

    mutating func consume(_ event: ServerSentEvent) throws(ProviderError) -> String {
        if event.data == "[DONE]" {
            self.isComplete = true
            return ""
        }
        let chunk: OpenAIWire.Chunk
        do {
            chunk = try JSONDecoder().decode(OpenAIWire.Chunk.self, from: Data(event.data.utf8))
        } catch {
            throw ProviderError(.malformedResponse, provider: self.provider, message: "a stream chunk is not a chat completion chunk")
        }
        if let error = chunk.error {
            throw ProviderError(
                streamError: error.summary, equivalentStatus: error.equivalentStatus, provider: self.provider, secrets: self.secrets)
        }
        if let usage = chunk.usage {
            self.usage = TokenUsage(
                promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, totalTokens: usage.totalTokens)
        }
        var text = ""
        for choice in chunk.choices ?? [] where (choice.index ?? 0) == 0 {
            if let piece = choice.delta?.content {
                self.content += piece
                self.hasContent = true
                text += piece
            }
            if let piece = choice.delta?.refusal {
                self.refusal += piece
                self.hasRefusal = true
            }
            if let reason = choice.finishReason {
                self.finishReason = reason
            }
        }
        return text
    }

    func response() throws(ProviderError) -> LLMResponse {
        // Streams open with `"content": ""`; a refusal streams in `refusal` and leaves it empty.
        let text: String
        if self.hasRefusal, self.content.isEmpty {
            text = self.refusal
        } else if self.hasContent {
            text = self.content
        } else {
            throw ProviderError(.malformedResponse, provider: self.provider, message: "the stream carried no content")
        }
        return LLMResponse(text: text, provider: self.provider, model: self.model, usage: self.usage)
    }
}
