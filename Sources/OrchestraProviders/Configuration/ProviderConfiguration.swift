public import OrchestraConfig

/// Everything the LLM providers need, built once from the environment.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `OPENAI_API_KEY` | OpenAI key (`Authorization: Bearer`) | unset |
/// | `OPENAI_BASE_URL` | OpenAI API root incl. `/v1` | `https://api.openai.com/v1` |
/// | `ANTHROPIC_API_KEY` | Anthropic key (`x-api-key`) | unset |
/// | `ANTHROPIC_BASE_URL` | Anthropic API root *without* `/v1` (as in Anthropic's SDKs) | `https://api.anthropic.com` |
/// | `ANTHROPIC_MAX_TOKENS` | `max_tokens` sent when a task sets none (Anthropic requires one) | `1024` |
/// | `GROK_API_KEY` | xAI key (`Authorization: Bearer`) | unset |
/// | `GROK_BASE_URL` | xAI API root incl. `/v1` | `https://api.x.ai/v1` |
/// | `OPENAI_COMPATIBLE_BASE_URL` | keyless OpenAI-style server incl. `/v1`, e.g. Ollama `http://127.0.0.1:11434/v1` | unset |
/// | `OPENAI_COMPATIBLE_API_KEY` | optional key for that server | unset |
/// | `DEFAULT_LLM_MODEL` | model of tasks without `llm_model` | `echo` |
/// | `ECHO_LATENCY_MS` | simulated latency of the echo provider | `0` |
/// | `PROVIDER_MAX_CONCURRENCY[_<NAME>]`, `PROVIDER_RPM[_<NAME>]` | cluster-wide limits, see ``ProviderLimits`` | unlimited |
///
/// A provider is configured when its key is set, or when its base URL is set explicitly (a keyless
/// endpoint such as a proxy that adds the key). Empty values count as unset, so `OPENAI_API_KEY=` in a
/// `.env` file disables the provider rather than sending an empty key.
public struct ProviderConfiguration: Sendable {
    /// `OPENAI_API_KEY`.
    public var openAIAPIKey: APIKey?
    /// `OPENAI_BASE_URL`; `nil` means ``OpenAIProvider/openAIBaseURL``.
    public var openAIBaseURL: String?
    /// `ANTHROPIC_API_KEY`.
    public var anthropicAPIKey: APIKey?
    /// `ANTHROPIC_BASE_URL`; `nil` means ``AnthropicProvider/defaultBaseURL``.
    public var anthropicBaseURL: String?
    /// `ANTHROPIC_MAX_TOKENS`.
    public var anthropicDefaultMaxTokens: Int = AnthropicProvider.defaultMaxTokens
    /// `GROK_API_KEY`.
    public var grokAPIKey: APIKey?
    /// `GROK_BASE_URL`; `nil` means ``OpenAIProvider/grokBaseURL``.
    public var grokBaseURL: String?
    /// `OPENAI_COMPATIBLE_BASE_URL`; the `openai-compatible` provider exists only when it is set.
    public var openAICompatibleBaseURL: String?
    /// `OPENAI_COMPATIBLE_API_KEY`.
    public var openAICompatibleAPIKey: APIKey?
    /// `DEFAULT_LLM_MODEL`; `nil` means `echo`.
    public var defaultModel: String?
    /// `ECHO_LATENCY_MS`.
    public var echoLatency: Duration = .zero
    /// Limits per provider name, from `PROVIDER_MAX_CONCURRENCY_<NAME>` / `PROVIDER_RPM_<NAME>`.
    public var limits: [String: ProviderLimits] = [:]
    /// Limits of remote providers without their own, from `PROVIDER_MAX_CONCURRENCY` / `PROVIDER_RPM`.
    public var defaultLimits: ProviderLimits = .unlimited

    /// The configuration with nothing set: only the echo provider, no limits.
    public init() {}

    /// Reads the variables in the table above. Throws when a value is present but unusable
    /// (a non-numeric limit, a base URL that is not http(s), a limit naming no provider).
    public init(environment: [String: String]) throws {
        try self.init(settings: SettingsReader(environment: environment))
    }

    /// Reads the variables in the table above through the process's one reader of flags,
    /// environment and `.env`.
    public init(settings reader: SettingsReader) throws {
        self.openAIAPIKey = reader.secret("OPENAI_API_KEY").map(APIKey.init)
        self.openAIBaseURL = try reader.url("OPENAI_BASE_URL")
        self.anthropicAPIKey = reader.secret("ANTHROPIC_API_KEY").map(APIKey.init)
        self.anthropicBaseURL = try reader.url("ANTHROPIC_BASE_URL")
        self.anthropicDefaultMaxTokens = try reader.integer("ANTHROPIC_MAX_TOKENS", atLeast: 1) ?? AnthropicProvider.defaultMaxTokens
        self.grokAPIKey = reader.secret("GROK_API_KEY").map(APIKey.init)
        self.grokBaseURL = try reader.url("GROK_BASE_URL")
        self.openAICompatibleBaseURL = try reader.url("OPENAI_COMPATIBLE_BASE_URL")
        self.openAICompatibleAPIKey = reader.secret("OPENAI_COMPATIBLE_API_KEY").map(APIKey.init)
        self.defaultModel = reader.string("DEFAULT_LLM_MODEL")
        self.echoLatency = .milliseconds(try reader.integer("ECHO_LATENCY_MS", atLeast: 0) ?? 0)
        self.defaultLimits = ProviderLimits(
            maxConcurrency: try reader.integer("PROVIDER_MAX_CONCURRENCY", atLeast: 1),
            requestsPerMinute: try reader.integer("PROVIDER_RPM", atLeast: 1)
        )
        self.limits = try reader.limits(knownProviders: ModelRouter.builtInProviders)
    }

    /// The providers this configuration enables: `echo`, and each remote provider with a key or a
    /// base URL set (`openai-compatible` with its base URL).
    public var enabledProviders: [String] {
        var names = ["echo"]
        if openAIAPIKey != nil || openAIBaseURL != nil { names.append("openai") }
        if anthropicAPIKey != nil || anthropicBaseURL != nil { names.append("anthropic") }
        if grokAPIKey != nil || grokBaseURL != nil { names.append("grok") }
        if openAICompatibleBaseURL != nil { names.append("openai-compatible") }
        return names
    }

    /// The limits in force on every built-in provider (``limits(for:)`` of each): what the
    /// cluster-wide limiter enforces.
    public var limitsByProvider: [String: ProviderLimits] {
        var limits: [String: ProviderLimits] = [:]
        for provider in ModelRouter.builtInProviders { limits[provider] = self.limits(for: provider) }
        return limits
    }

    /// The limits in force for a provider: its own where set, else the defaults (remote providers only).
    public func limits(for provider: String) -> ProviderLimits {
        let own = self.limits[provider] ?? .unlimited
        let fallback = provider == "echo" ? .unlimited : self.defaultLimits
        return ProviderLimits(
            maxConcurrency: own.maxConcurrency ?? fallback.maxConcurrency,
            requestsPerMinute: own.requestsPerMinute ?? fallback.requestsPerMinute
        )
    }
}
