import OrchestraConfig

/// Which models this deployment can serve, without the providers themselves: what a gateway checks
/// submissions against. It makes no provider calls, so it needs no HTTP client.
///
/// `echo` is always available. A task without `llm_model` uses ``defaultModel`` (`DEFAULT_LLM_MODEL`,
/// else `echo`); ``defaultModelSummary`` says which, in a line fit for the startup log.
public struct ModelCatalog: Sendable {
    /// The model of tasks that name none.
    public let defaultModel: String
    /// A sentence saying which default is in effect, for example
    /// `no LLM provider configured: using the offline echo provider`.
    public let defaultModelSummary: String
    /// The router, which knows every provider name (configured or not).
    public let router: ModelRouter
    /// The providers that can be used, `echo` included, sorted.
    public let configuredProviders: [String]

    /// What to set to enable each provider, for the error naming a provider that is not configured.
    private static let missingSetting = [
        "openai": "OPENAI_API_KEY (or OPENAI_BASE_URL for a keyless endpoint)",
        "anthropic": "ANTHROPIC_API_KEY (or ANTHROPIC_BASE_URL for a keyless endpoint)",
        "grok": "GROK_API_KEY (or GROK_BASE_URL for a keyless endpoint)",
        "openai-compatible": "OPENAI_COMPATIBLE_BASE_URL",
    ]

    /// The providers `configuration` enables. Throws ``ModelRoutingError`` when `DEFAULT_LLM_MODEL`
    /// names a provider that is not configured.
    public init(configuration: ProviderConfiguration) throws(ModelRoutingError) {
        try self.init(providers: configuration.enabledProviders, defaultModel: configuration.defaultModel)
    }

    /// A catalog of the named providers (`echo` is added when missing); `defaultModel` `nil` means `echo`.
    public init(providers: [String], defaultModel: String? = nil) throws(ModelRoutingError) {
        let names = Set(providers).union(["echo"])
        self.configuredProviders = names.sorted()
        self.router = ModelRouter(additionalProviders: names.subtracting(["echo"]).sorted())
        let remote = configuredProviders.filter { $0 != "echo" }
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

    /// The provider and provider-specific model for a task's `llm_model` (`nil` or blank: the default).
    /// Throws ``ModelRoutingError`` for an unknown provider or one that is not configured.
    public func resolve(model: String?) throws(ModelRoutingError) -> ModelRouter.Route {
        let requested = model.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 } ?? self.defaultModel
        let route = try self.router.route(requested)
        guard configuredProviders.contains(route.provider) else {
            let setting = Self.missingSetting[route.provider] ?? "its configuration"
            throw ModelRoutingError(
                .providerNotConfigured, model: requested,
                message: "model '\(requested.prefix(100))' needs the \(route.provider) provider, which is not configured: set \(setting)")
        }
        return route
    }
}
