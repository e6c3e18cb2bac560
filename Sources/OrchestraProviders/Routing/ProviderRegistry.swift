public import AsyncHTTPClient

/// The configured providers, ready to call: turns a task's `llm_model` into the provider that serves
/// it (which models exist and which is the default is the ``catalog``'s to say).
public struct ProviderRegistry: Sendable {
    /// Which models can be served, and the default.
    public let catalog: ModelCatalog
    private let providers: [String: any LLMProvider]

    /// Builds the providers the configuration enables, all sharing `httpClient` (owned by the caller).
    /// Throws ``ModelRoutingError`` when `DEFAULT_LLM_MODEL` names a provider that is not configured.
    public init(configuration: ProviderConfiguration, httpClient: HTTPClient) throws(ModelRoutingError) {
        var providers: [any LLMProvider] = [EchoProvider(latency: configuration.echoLatency)]
        let enabled = Set(configuration.enabledProviders)
        if enabled.contains("openai") {
            providers.append(
                OpenAIProvider(
                    name: "openai", baseURL: configuration.openAIBaseURL ?? OpenAIProvider.openAIBaseURL,
                    apiKey: configuration.openAIAPIKey, httpClient: httpClient))
        }
        if enabled.contains("anthropic") {
            providers.append(
                AnthropicProvider(
                    baseURL: configuration.anthropicBaseURL ?? AnthropicProvider.defaultBaseURL,
                    apiKey: configuration.anthropicAPIKey, defaultMaxTokens: configuration.anthropicDefaultMaxTokens,
                    httpClient: httpClient))
        }
        if enabled.contains("grok") {
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
        self.catalog = try ModelCatalog(providers: Array(byName.keys), defaultModel: defaultModel)
    }

    /// The model of tasks that name none (``ModelCatalog/defaultModel``).
    public var defaultModel: String { catalog.defaultModel }
    /// ``ModelCatalog/defaultModelSummary``.
    public var defaultModelSummary: String { catalog.defaultModelSummary }
    /// The names of the providers that can be used, `echo` included, sorted.
    public var configuredProviders: [String] { catalog.configuredProviders }

    /// The provider with this name, if configured.
    public func provider(named name: String) -> (any LLMProvider)? {
        self.providers[name]
    }

    /// The provider and provider-specific model for a task's `llm_model` (`nil` or blank: the default).
    /// Throws ``ModelRoutingError`` for an unknown provider or one that is not configured.
    public func resolve(model: String?) throws(ModelRoutingError) -> (provider: any LLMProvider, model: String) {
        let route = try catalog.resolve(model: model)
        guard let provider = self.providers[route.provider] else {
            throw ModelRoutingError(.providerNotConfigured, model: model ?? defaultModel, message: "no provider \(route.provider)")
        }
        return (provider, route.model)
    }
}
