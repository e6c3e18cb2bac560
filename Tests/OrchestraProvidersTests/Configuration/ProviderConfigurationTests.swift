import OrchestraConfig
import OrchestraProviders
import Testing

@Suite("Provider configuration from the environment")
struct ProviderConfigurationTests {
    @Test func defaultsWhenNothingIsSet() throws {
        let configuration = try ProviderConfiguration(environment: [:])
        #expect(configuration.openAIAPIKey == nil)
        #expect(configuration.defaultModel == nil)
        #expect(configuration.echoLatency == .zero)
        #expect(configuration.anthropicDefaultMaxTokens == 1024)
        #expect(configuration.limits(for: "openai").isUnlimited)
    }

    @Test func emptyValuesCountAsUnset() throws {
        let configuration = try ProviderConfiguration(environment: [
            "OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": "  ", "DEFAULT_LLM_MODEL": "", "OPENAI_BASE_URL": "",
        ])
        #expect(configuration.openAIAPIKey == nil)
        #expect(configuration.anthropicAPIKey == nil)
        #expect(configuration.defaultModel == nil)
        #expect(configuration.openAIBaseURL == nil)
    }

    @Test func readsEveryVariable() throws {
        let configuration = try ProviderConfiguration(environment: [
            "OPENAI_API_KEY": "sk-1", "OPENAI_BASE_URL": "http://127.0.0.1:8080/v1",
            "ANTHROPIC_API_KEY": "sk-ant-2", "ANTHROPIC_BASE_URL": "https://proxy.internal", "ANTHROPIC_MAX_TOKENS": "2048",
            "GROK_API_KEY": "xai-3", "GROK_BASE_URL": "https://api.x.ai/v1",
            "OPENAI_COMPATIBLE_BASE_URL": "http://127.0.0.1:11434/v1", "OPENAI_COMPATIBLE_API_KEY": "local-4",
            "DEFAULT_LLM_MODEL": "gpt-4o-mini", "ECHO_LATENCY_MS": "250",
        ])
        #expect(configuration.openAIAPIKey?.value == "sk-1")
        #expect(configuration.openAIBaseURL == "http://127.0.0.1:8080/v1")
        #expect(configuration.anthropicAPIKey?.value == "sk-ant-2")
        #expect(configuration.anthropicBaseURL == "https://proxy.internal")
        #expect(configuration.anthropicDefaultMaxTokens == 2048)
        #expect(configuration.grokAPIKey?.value == "xai-3")
        #expect(configuration.grokBaseURL == "https://api.x.ai/v1")
        #expect(configuration.openAICompatibleBaseURL == "http://127.0.0.1:11434/v1")
        #expect(configuration.openAICompatibleAPIKey?.value == "local-4")
        #expect(configuration.defaultModel == "gpt-4o-mini")
        #expect(configuration.echoLatency == .milliseconds(250))
    }

    @Test func providerLimits() throws {
        let configuration = try ProviderConfiguration(environment: [
            "PROVIDER_MAX_CONCURRENCY_OPENAI": "8", "PROVIDER_RPM_OPENAI": "500",
            "PROVIDER_RPM_OPENAI_COMPATIBLE": "60", "PROVIDER_MAX_CONCURRENCY_ECHO": "2",
            "PROVIDER_MAX_CONCURRENCY": "4", "PROVIDER_RPM": "100",
        ])
        #expect(configuration.limits(for: "openai") == ProviderLimits(maxConcurrency: 8, requestsPerMinute: 500))
        #expect(configuration.limits(for: "openai-compatible") == ProviderLimits(maxConcurrency: 4, requestsPerMinute: 60))
        #expect(configuration.limits(for: "anthropic") == ProviderLimits(maxConcurrency: 4, requestsPerMinute: 100))
        #expect(configuration.limits(for: "echo") == ProviderLimits(maxConcurrency: 2))
        #expect(configuration.limits(for: "openai").description == "max 8 concurrent, 500 rpm")
    }

    @Test(arguments: [
        ("ECHO_LATENCY_MS", "soon"), ("ECHO_LATENCY_MS", "-1"), ("ANTHROPIC_MAX_TOKENS", "0"),
        ("PROVIDER_RPM_OPENAI", "0"), ("PROVIDER_MAX_CONCURRENCY_OPENAI", "lots"),
        ("PROVIDER_RPM_MISTRAL", "10"), ("OPENAI_BASE_URL", "api.openai.com/v1"), ("GROK_BASE_URL", "ftp://x"),
    ])
    func rejectsUnusableValues(variable: String, value: String) {
        let error = #expect(throws: ConfigurationError.self) { try ProviderConfiguration(environment: [variable: value]) }
        #expect(error?.variable == variable)
    }

    @Test func configurationErrorsDoNotQuoteURLs() {
        let error = #expect(throws: ConfigurationError.self) {
            try ProviderConfiguration(environment: ["OPENAI_BASE_URL": "user:pa55word@host"])
        }
        #expect(error?.description.contains("pa55word") == false)
    }
}
