import OrchestraConfig

/// Picks the provider for a task's `llm_model`.
///
/// | model | provider | model sent |
/// |---|---|---|
/// | `gpt-*`, `chatgpt-*`, `o1*`, `o3*`, `o4*` (`o` + digit) | `openai` | as given |
/// | `claude-*` | `anthropic` | as given |
/// | `grok-*` | `grok` | as given |
/// | `echo` | `echo` | `echo` |
/// | `<provider>/<model>` | `<provider>` | everything after the first `/` |
///
/// Provider prefixes are case-insensitive; `ollama/`, `local/` are aliases of `openai-compatible/`,
/// and `xai/` of `grok/`. The model after the prefix may itself contain `/`
/// (`openai-compatible/meta-llama/Llama-3.1-8B`).
public struct ModelRouter: Sendable {
    /// Where a model goes.
    public struct Route: Sendable, Hashable {
        /// The provider's name.
        public var provider: String
        /// The provider-specific model name.
        public var model: String

        /// Creates a route.
        public init(provider: String, model: String) {
            self.provider = provider
            self.model = model
        }
    }

    /// The providers this package builds, in the order they are listed to users.
    public static let builtInProviders = ["openai", "anthropic", "grok", "openai-compatible", "echo"]
    /// Alternative prefixes for `provider/model`.
    public static let aliases = ["ollama": "openai-compatible", "local": "openai-compatible", "xai": "grok"]

    /// The provider names accepted as `provider/` prefixes.
    public let providerNames: [String]

    /// Creates a router that knows the built-in providers plus `additionalProviders` (custom names).
    public init(additionalProviders: [String] = []) {
        var names = Self.builtInProviders
        for name in additionalProviders where !names.contains(name) { names.append(name) }
        self.providerNames = names
    }

    /// The route of `model`, or an error saying why there is none.
    public func route(_ model: String) throws(ModelRoutingError) -> Route {
        let trimmed = model.trimmingWhitespace()
        let shown = String(trimmed.prefix(100))
        guard !trimmed.isEmpty else {
            throw ModelRoutingError(.invalidModel, model: model, message: "llm_model is empty")
        }
        if let slash = trimmed.firstIndex(of: "/") {
            let prefix = trimmed[..<slash].lowercased()
            let name = Self.aliases[prefix] ?? prefix
            let rest = String(trimmed[trimmed.index(after: slash)...])
            guard self.providerNames.contains(name) else {
                throw ModelRoutingError(
                    .unknownProvider, model: model,
                    message: "model '\(shown)' names unknown provider '\(prefix.prefix(40))' (known: \(self.known))")
            }
            guard !rest.isEmpty else {
                throw ModelRoutingError(.invalidModel, model: model, message: "model '\(shown)' has no model name after '\(prefix)/'")
            }
            return Route(provider: name, model: rest)
        }
        let lowered = trimmed.lowercased()
        if lowered == "echo" { return Route(provider: "echo", model: "echo") }
        if lowered.hasPrefix("gpt-") || lowered.hasPrefix("chatgpt-") || Self.isOSeries(lowered) {
            return Route(provider: "openai", model: trimmed)
        }
        if lowered.hasPrefix("claude-") { return Route(provider: "anthropic", model: trimmed) }
        if lowered.hasPrefix("grok-") { return Route(provider: "grok", model: trimmed) }
        throw ModelRoutingError(
            .unknownProvider, model: model,
            message: "model '\(shown)' matches no provider: use gpt-*, o1*/o3*/o4*, claude-*, grok-*, echo, "
                + "or provider/model with a provider of: \(self.known)")
    }

    private var known: String { self.providerNames.joined(separator: ", ") }

    /// `o1`, `o3-mini`, `o4-mini-2025-04-16`: an `o` followed by a digit.
    private static func isOSeries(_ model: String) -> Bool {
        let characters = Array(model.prefix(2))
        return characters.count == 2 && characters[0] == "o" && characters[1].isASCII && characters[1].isNumber
    }
}
