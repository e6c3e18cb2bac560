public import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import OrchestraAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Anthropic's messages API.
///
/// Sends `POST {baseURL}/v1/messages` with headers `x-api-key`, `anthropic-version: 2023-06-01` and
/// `content-type: application/json`, and body `{model, system?, messages: [{role: user, content}],
/// max_tokens, temperature?}`; joins the `text` blocks of `content` and reads
/// `usage.input_tokens`/`output_tokens`.
///
/// `baseURL` is the API root *without* the version, as in Anthropic's own SDKs and their
/// `ANTHROPIC_BASE_URL` (default `https://api.anthropic.com`). A base that already ends in `/v1` is
/// accepted too and not doubled, so `https://proxy.example/v1` also reaches `…/v1/messages`.
public struct AnthropicProvider: LLMProvider, CustomStringConvertible {
    /// Anthropic's public API root.
    public static let defaultBaseURL = "https://api.anthropic.com"
    /// The API version header value this provider speaks.
    public static let apiVersion = "2023-06-01"
    /// `max_tokens` is required by Anthropic; this is sent when a request does not set one.
    public static let defaultMaxTokens = 1024

    /// Always `anthropic` unless configured otherwise.
    public let name: String
    /// The API root, without a trailing slash.
    public let baseURL: String
    /// `max_tokens` for requests that do not set one.
    public let defaultMaxTokens: Int
    private let apiKey: APIKey?
    let transport: ProviderTransport

    /// Creates a provider on a shared HTTP client, which the caller owns and shuts down.
    public init(
        name: String = "anthropic",
        baseURL: String = AnthropicProvider.defaultBaseURL,
        apiKey: APIKey?,
        defaultMaxTokens: Int = AnthropicProvider.defaultMaxTokens,
        httpClient: HTTPClient
    ) {
        self.name = name
        self.baseURL = baseURL.trimmingTrailingSlashes()
        self.apiKey = apiKey
        self.defaultMaxTokens = defaultMaxTokens
        self.transport = ProviderTransport(httpClient: httpClient, provider: name, apiKey: apiKey)
    }

    /// The full URL requests go to.
    public var messagesURL: String {
        self.baseURL.hasSuffix("/v1") ? self.baseURL + "/messages" : self.baseURL + "/v1/messages"
    }

    /// For example `AnthropicProvider(anthropic, https://api.anthropic.com, key set)`; never the key.
    public var description: String {
        "AnthropicProvider(\(self.name), \(self.baseURL), \(self.apiKey == nil ? "no key" : "key set"))"
    }

    /// Sends the request to ``messagesURL``.
    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let response = try await self.transport.post(
            url: self.messagesURL, headers: self.headers, body: self.body(of: request, stream: false), timeout: request.timeout)
        return try self.answer(from: response, model: request.model)
    }

    var headers: HTTPHeaders {
        var headers = HTTPHeaders()
        if let apiKey { headers.add(name: "x-api-key", value: apiKey.value) }
        headers.add(name: "anthropic-version", value: Self.apiVersion)
        return headers
    }

    func body(of request: LLMRequest, stream: Bool) -> AnthropicWire.Request {
        AnthropicWire.Request(
            model: request.model,
            system: request.systemPrompt.isEmpty ? nil : request.systemPrompt,
            messages: [.init(role: "user", content: request.userPrompt)],
            maxTokens: request.maxTokens ?? self.defaultMaxTokens,
            temperature: request.temperature,
            stream: stream ? true : nil
        )
    }

    /// The answer of a whole (non-streamed) response, or the error its status stands for.
    func answer(from response: ProviderTransport.Response, model: String) throws -> LLMResponse {
        guard response.isSuccess else {
            throw ProviderError(
                status: response.status,
                headers: response.headers,
                providerMessage: response.decodeError(AnthropicWire.ErrorBody.self)?.summary ?? response.unrecognisedErrorBody,
                provider: self.name,
                secrets: self.transport.secrets,
                now: Date().timeIntervalSince1970
            )
        }
        let message = try response.decode(AnthropicWire.Response.self, provider: self.name)
        let text = message.content.filter { $0.type == "text" }.compactMap(\.text).joined()
        let usage = message.usage.map { TokenUsage(promptTokens: $0.inputTokens, completionTokens: $0.outputTokens) }
        return LLMResponse(text: text, provider: self.name, model: model, usage: usage)
    }
}
