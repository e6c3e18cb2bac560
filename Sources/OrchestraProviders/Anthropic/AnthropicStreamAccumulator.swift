import OrchestraAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads a streamed message: `message_start` (input usage), per content block a
/// `content_block_start`, `content_block_delta`s (`text_delta` pieces make the text) and a
/// `content_block_stop`, then `message_delta` (stop reason, final output usage) and
/// `message_stop`; `ping`s anywhere, and `error` events. The answer equals the non-streamed one:
/// the text blocks joined, the same usage, the requested model.
struct AnthropicStreamAccumulator: StreamAccumulator {
    let provider: String
    let model: String
    let secrets: [String]
    private var text = ""
    private var inputTokens: Int?
    private var outputTokens: Int?
    private var stopReason: String?
    private(set) var isComplete = false

    init(provider: String, model: String, secrets: [String]) {
        self.provider = provider
        self.model = model
        self.secrets = secrets
    }

    var isFinished: Bool { self.stopReason != nil }

    mutating func consume(_ event: ServerSentEvent) throws(ProviderError) -> String {
        let decoded: AnthropicWire.StreamEvent
        do {
            decoded = try JSONDecoder().decode(AnthropicWire.StreamEvent.self, from: Data(event.data.utf8))
        } catch {
            throw ProviderError(.malformedResponse, provider: self.provider, message: "a stream event is not a message event")
        }
        switch decoded.type {
        case "message_start":
            self.record(decoded.message?.usage)
        case "content_block_start":
            if decoded.contentBlock?.type == "text", let piece = decoded.contentBlock?.text {
                self.text += piece
                return piece
            }
        case "content_block_delta":
            if decoded.delta?.type == "text_delta", let piece = decoded.delta?.text {
                self.text += piece
                return piece
            }
        case "message_delta":
            if let reason = decoded.delta?.stopReason { self.stopReason = reason }
            self.record(decoded.usage)
        case "message_stop":
            self.isComplete = true
        case "error":
            let detail = decoded.error
            let summary = AnthropicWire.ErrorBody(error: detail ?? .init()).summary
            throw ProviderError(
                streamError: summary, equivalentStatus: AnthropicWire.equivalentStatus(ofErrorType: detail?.type),
                provider: self.provider, secrets: self.secrets)
        default:
            break  // ping, content_block_stop, and event types added later
        }
        return ""
    }

    private mutating func record(_ usage: AnthropicWire.StreamUsage?) {
        if let input = usage?.inputTokens { self.inputTokens = input }
        if let output = usage?.outputTokens { self.outputTokens = output }
    }

    func response() throws(ProviderError) -> LLMResponse {
        var usage: TokenUsage?
        if let inputTokens, let outputTokens {
            usage = TokenUsage(promptTokens: inputTokens, completionTokens: outputTokens)
        }
        return LLMResponse(text: self.text, provider: self.provider, model: self.model, usage: usage)
    }
}
