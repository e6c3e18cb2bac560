public import AsyncHTTPClient

/// The configured providers and the default model: turns a task's `llm_model` into the provider that
/// serves it.
///
/// `echo` is always present. A task without `llm_model` uses ``defaultModel`` (`DEFAULT_LLM_MODEL`,
/// else `echo`); ``defaultModelSummary`` says which, in a line fit for the startup log.
public struct ProviderRegistry: Sendable {
    /// The model of tasks that name none.
    public let defaultModel: String
    /// A sentence saying which default is in effect, for example
    /// `no LLM provider configured: using the offline echo provider`.
    public let defaultModelSummary: String
    /// The router, which knows every provider name (configured or not).
    public let router: ModelRouter
    private let providers: [String: any LLMProvider]
    private let missingSetting: [String: String]

    /// Builds the providers the configuration enables, all sharing `httpClient` (owned by the caller).
    /// Throws ``ModelRoutingError`` when `DEFAULT_LLM_MODEL` names a provider that is not configured.
    public init(configuration: ProviderConfiguration, httpClient: HTTPClient) throws(ModelRoutingError) {
        var providers: [any LLMProvider] = [EchoProvider(latency: configuration.echoLatency)]
        if configuration.openAIAPIKey != nil || configuration.openAIBaseURL != nil {
            providers.append(
                OpenAIProvider(
                    name: "openai", baseURL: configuration.openAIBaseURL ?? OpenAIProvider.openAIBaseURL,
                    apiKey: configuration.openAIAPIKey, httpClient: httpClient))
        }
        if configuration.anthropicAPIKey != nil || configuration.anthropicBaseURL != nil {
            providers.append(
                AnthropicProvider(
                    baseURL: configuration.anthropicBaseURL ?? AnthropicProvider.defaultBaseURL,
                    apiKey: configuration.anthropicAPIKey, defaultMaxTokens: configuration.anthropicDefaultMaxTokens,
                    httpClient: httpClient))
        }
        if configuration.grokAPIKey != nil || configuration.grokBaseURL != nil {
            providers.append(
                OpenAIProvider(
                    name: "grok", baseURL: configuration.grokBaseURL ?? OpenAIProvider.grokBaseURL,
                    apiKey: configuration.grokAPIKey, httpClient: httpClient))
        }
        if let baseURL = configuration.openAICompatibleBaseURL {
            providers.append(
                OpenAIProvider(
                    name: "openai-compatible", baseURL: baseURL, apiKey: configuration.openAICompatibleAPIKey,
                    httpClient: httpClient))
        }
        try self.init(providers: providers, defaultModel: configuration.defaultModel)
    }

    /// A registry of the given providers (tests, custom setups). `echo` is added when missing.
    /// `defaultModel` `nil` means `echo`.
    public init(providers: [any LLMProvider], defaultModel: String? = nil) throws(ModelRoutingError) {
        var byName: [String: any LLMProvider] = ["echo": EchoProvider()]
        for provider in providers { byName[provider.name] = provider }
        self.providers = byName
        self.router = ModelRouter(additionalProviders: providers.map(\.name).sorted())
        self.missingSetting = [
            "openai": "OPENAI_API_KEY (or OPENAI_BASE_URL for a keyless endpoint)",
            "anthropic": "ANTHROPIC_API_KEY (or ANTHROPIC_BASE_URL for a keyless endpoint)",
            "grok": "GROK_API_KEY (or GROK_BASE_URL for a keyless endpoint)",
            "openai-compatible": "OPENAI_COMPATIBLE_BASE_URL",
        ]
        let remote = byName.keys.filter { $0 != "echo" }.sorted()
        if let defaultModel = defaultModel?.trimmingWhitespace(), !defaultModel.isEmpty {
            self.defaultModel = defaultModel
            self.defaultModelSummary = "default model \(defaultModel) from DEFAULT_LLM_MODEL"
            _ = try self.resolve(model: defaultModel)
        } else {
            self.defaultModel = "echo"
            self.defaultModelSummary =
                remote.isEmpty
                ? "no LLM provider configured: using the offline echo provider"
                : "DEFAULT_LLM_MODEL is not set: tasks without llm_model use the offline echo provider "
                    + "(configured: \(remote.joined(separator: ", ")))"
        }
    }

    /// The names of the providers that can be used, `echo` included, sorted.
    public var configuredProviders: [String] {
        self.providers.keys.sorted()
    }

    /// The provider with this name, if configured.
    public func provider(named name: String) -> (any LLMProvider)? {
        self.providers[name]
    }

    /// The provider and provider-specific model for a task's `llm_model` (`nil` or blank: the default).
    /// Throws ``ModelRoutingError`` for an unknown provider or one that is not configured.
    public func resolve(model: String?) throws(ModelRoutingError) -> (provider: any LLMProvider, model: String) {
        let requested = model.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 } ?? self.defaultModel
        let route = try self.router.route(requested)
        guard let provider = self.providers[route.provider] else {
            let setting = self.missingSetting[route.provider] ?? "its configuration"
            throw ModelRoutingError(
                .providerNotConfigured, model: requested,
                message: "model '\(requested.prefix(100))' needs the \(route.provider) provider, which is not configured: set \(setting)")
        }
        return (provider, route.model)
    }
}
