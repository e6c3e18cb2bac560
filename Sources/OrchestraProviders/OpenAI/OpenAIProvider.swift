public import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import OrchestraAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A provider speaking OpenAI's chat completions API: OpenAI itself, xAI Grok, and any
/// OpenAI-compatible server (Ollama, vLLM, llama.cpp server).
///
/// Sends `POST {baseURL}/chat/completions` with `{model, messages: [system?, user], temperature?,
/// max_tokens?}` and `Authorization: Bearer <key>` when a key is set; reads
/// `choices[0].message.content` and `usage`. The `baseURL` includes the version path, as in
/// OpenAI's own SDKs: `https://api.openai.com/v1`, `https://api.x.ai/v1`, `http://127.0.0.1:11434/v1`.
public struct OpenAIProvider: LLMProvider, CustomStringConvertible {
    /// OpenAI's public API.
    public static let openAIBaseURL = "https://api.openai.com/v1"
    /// xAI's public API (Grok).
    public static let grokBaseURL = "https://api.x.ai/v1"

    /// The name used in routing and results (`openai`, `grok`, `openai-compatible`, …).
    public let name: String
    /// The API root, version path included, without a trailing slash.
    public let baseURL: String
    private let apiKey: APIKey?
    let transport: ProviderTransport

    /// Creates a provider on a shared HTTP client, which the caller owns and shuts down.
    public init(name: String = "openai", baseURL: String = OpenAIProvider.openAIBaseURL, apiKey: APIKey?, httpClient: HTTPClient) {
        self.name = name
        self.baseURL = baseURL.trimmingTrailingSlashes()
        self.apiKey = apiKey
        self.transport = ProviderTransport(httpClient: httpClient, provider: name, apiKey: apiKey)
    }

    /// For example `OpenAIProvider(grok, https://api.x.ai/v1, key set)`; never the key.
    public var description: String {
        "OpenAIProvider(\(self.name), \(self.baseURL), \(self.apiKey == nil ? "no key" : "key set"))"
    }

    /// Sends the request to `{baseURL}/chat/completions`.
    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let response = try await self.transport.post(
            url: self.completionsURL, headers: self.headers, body: Self.body(of: request, stream: false), timeout: request.timeout)
        return try self.answer(from: response, model: request.model)
    }

    var completionsURL: String { self.baseURL + "/chat/completions" }

    var headers: HTTPHeaders {
        var headers = HTTPHeaders()
        if let apiKey { headers.add(name: "authorization", value: "Bearer \(apiKey.value)") }
        return headers
    }

    /// The request body; a streaming one asks for the usage in a last chunk.
    static func body(of request: LLMRequest, stream: Bool) -> OpenAIWire.Request {
        var messages: [OpenAIWire.Request.Message] = []
        if !request.systemPrompt.isEmpty {
            messages.append(.init(role: "system", content: request.systemPrompt))
        }
        messages.append(.init(role: "user", content: request.userPrompt))
        return OpenAIWire.Request(
            model: request.model, messages: messages, temperature: request.temperature, maxTokens: request.maxTokens,
            stream: stream ? true : nil, streamOptions: stream ? .init(includeUsage: true) : nil)
    }

    /// The answer of a whole (non-streamed) response, or the error its status stands for.
    func answer(from response: ProviderTransport.Response, model: String) throws -> LLMResponse {
        guard response.isSuccess else {
            throw ProviderError(
                status: response.status,
                headers: response.headers,
                providerMessage: response.decodeError(OpenAIWire.ErrorBody.self)?.message ?? response.unrecognisedErrorBody,
                provider: self.name,
                secrets: self.transport.secrets,
                now: Date().timeIntervalSince1970
            )
        }
        let completion = try response.decode(OpenAIWire.Response.self, provider: self.name)
        guard let message = completion.choices?.first?.message else {
            throw ProviderError(
                .malformedResponse, provider: self.name, status: response.status, message: "missing field choices[0].message")
        }
        guard let text = message.content ?? message.refusal else {
            throw ProviderError(
                .malformedResponse, provider: self.name, status: response.status, message: "choices[0].message.content is null")
        }
        let usage = completion.usage.map {
            TokenUsage(promptTokens: $0.promptTokens, completionTokens: $0.completionTokens, totalTokens: $0.totalTokens)
        }
        return LLMResponse(text: text, provider: self.name, model: model, usage: usage)
    }
}
