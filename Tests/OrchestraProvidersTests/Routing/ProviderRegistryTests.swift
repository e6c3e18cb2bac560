import AsyncHTTPClient
import OrchestraProviderTestSupport
import OrchestraProviders
import Testing

@Suite("Provider registry: configuration to providers, defaults, submit-time errors", .timeLimit(.minutes(5)))
struct ProviderRegistryTests {
    private func registry(_ environment: [String: String]) throws -> ProviderRegistry {
        try ProviderRegistry(configuration: ProviderConfiguration(environment: environment), httpClient: .shared)
    }

    @Test func nothingConfiguredMeansEchoAndSaysSo() throws {
        let registry = try registry([:])
        #expect(registry.defaultModel == "echo")
        #expect(registry.defaultModelSummary == "no LLM provider configured: using the offline echo provider")
        #expect(registry.configuredProviders == ["echo"])
        let resolved = try registry.resolve(model: nil)
        #expect(resolved.provider.name == "echo")
        #expect(resolved.model == "echo")
        #expect(try registry.resolve(model: "  ").provider.name == "echo")
    }

    @Test func missingKeyIsAClearErrorNamingModelAndVariable() throws {
        let registry = try registry([:])
        let cases = [
            ("gpt-4o", "OPENAI_API_KEY"), ("o3-mini", "OPENAI_API_KEY"), ("claude-x", "ANTHROPIC_API_KEY"),
            ("grok-3", "GROK_API_KEY"), ("ollama/llama3", "OPENAI_COMPATIBLE_BASE_URL"),
        ]
        for (model, variable) in cases {
            let error = #expect(throws: ModelRoutingError.self) { try registry.resolve(model: model) }
            #expect(error?.code == .providerNotConfigured)
            #expect(error?.description.contains("'\(model)'") == true, "\(String(describing: error))")
            #expect(error?.description.contains(variable) == true, "\(String(describing: error))")
        }
        let unknown = #expect(throws: ModelRoutingError.self) { try registry.resolve(model: "mistral/large") }
        #expect(unknown?.code == .unknownProvider)
    }

    @Test func theCatalogAgreesWithTheRegistryWithoutAnyProvider() throws {
        let environment = ["OPENAI_API_KEY": "sk-x", "OPENAI_COMPATIBLE_BASE_URL": "http://127.0.0.1:9/v1", "DEFAULT_LLM_MODEL": "gpt-4o"]
        let catalog = try ModelCatalog(configuration: ProviderConfiguration(environment: environment))
        let registry = try registry(environment)
        #expect(catalog.configuredProviders == registry.configuredProviders)
        #expect(catalog.configuredProviders == ["echo", "openai", "openai-compatible"])
        #expect(catalog.defaultModel == "gpt-4o" && catalog.defaultModelSummary == registry.defaultModelSummary)
        for model in [nil, "gpt-4o-mini", "ollama/llama3", "echo"] {
            let route = try catalog.resolve(model: model)
            let resolved = try registry.resolve(model: model)
            #expect(route.provider == resolved.provider.name && route.model == resolved.model)
        }
        let error = #expect(throws: ModelRoutingError.self) { try catalog.resolve(model: "claude-sonnet-4") }
        #expect(error?.code == .providerNotConfigured)
        #expect(error?.description.contains("ANTHROPIC_API_KEY") == true)
        // A default naming a provider that is not configured is refused up front, as by the registry.
        #expect(throws: ModelRoutingError.self) { try ModelCatalog(providers: ["echo"], defaultModel: "grok-3") }
    }

    @Test func configuredProvidersResolveAndKeysNeverAppearInErrors() throws {
        let registry = try registry([
            "OPENAI_API_KEY": "sk-openai-secret", "GROK_API_KEY": "xai-secret",
            "OPENAI_COMPATIBLE_BASE_URL": "http://127.0.0.1:11434/v1",
        ])
        #expect(registry.configuredProviders == ["echo", "grok", "openai", "openai-compatible"])
        #expect(try registry.resolve(model: "gpt-4o").provider.name == "openai")
        #expect(try registry.resolve(model: "grok-3").provider.name == "grok")
        let local = try registry.resolve(model: "ollama/llama3.1")
        #expect(local.provider.name == "openai-compatible")
        #expect(local.model == "llama3.1")
        #expect(registry.defaultModelSummary.contains("DEFAULT_LLM_MODEL is not set"))
        #expect(registry.defaultModelSummary.contains("grok, openai, openai-compatible"))
        let error = #expect(throws: ModelRoutingError.self) { try registry.resolve(model: "claude-x") }
        #expect(error?.description.contains("secret") == false)
    }

    @Test func defaultModelFromEnvironment() throws {
        let registry = try registry(["ANTHROPIC_API_KEY": "k", "DEFAULT_LLM_MODEL": "claude-sonnet-4-20250514"])
        #expect(registry.defaultModel == "claude-sonnet-4-20250514")
        #expect(registry.defaultModelSummary == "default model claude-sonnet-4-20250514 from DEFAULT_LLM_MODEL")
        let resolved = try registry.resolve(model: nil)
        #expect(resolved.provider.name == "anthropic")
        #expect(resolved.model == "claude-sonnet-4-20250514")
    }

    @Test func defaultModelWithoutItsProviderFailsAtStartup() {
        let error = #expect(throws: ModelRoutingError.self) { try registry(["DEFAULT_LLM_MODEL": "gpt-4o"]) }
        #expect(error?.code == .providerNotConfigured)
        #expect(error?.description.contains("OPENAI_API_KEY") == true)
    }

    @Test func baseURLAloneConfiguresAKeylessEndpoint() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: OpenAIFixtures.success)]) { server, base in
            let registry = try registry(["OPENAI_BASE_URL": base + "/v1"])
            let (provider, model) = try registry.resolve(model: "gpt-4o")
            _ = try await provider.complete(LLMRequest(model: model, userPrompt: "hi", timeout: .seconds(5)))
            #expect(server.requests.first?.headers["authorization"] == nil)
            #expect(server.requests.first?.path == "/v1/chat/completions")
        }
    }

    @Test func configuredBaseURLsAreUsed() async throws {
        try await LoopbackProviderServer.with([StubResponse(body: AnthropicFixtures.success)]) { server, base in
            let registry = try registry(["ANTHROPIC_API_KEY": "sk-ant", "ANTHROPIC_BASE_URL": base, "ANTHROPIC_MAX_TOKENS": "77"])
            let (provider, model) = try registry.resolve(model: "anthropic/claude-custom")
            let response = try await provider.complete(LLMRequest(model: model, userPrompt: "hi", timeout: .seconds(5)))
            #expect(response.provider == "anthropic")
            #expect(server.requests.first?.path == "/v1/messages")
            #expect(server.requests.first?.json["model"] as? String == "claude-custom")
            #expect(server.requests.first?.json["max_tokens"] as? Int == 77)
        }
    }

    @Test func echoLatencyFromEnvironment() async throws {
        let registry = try registry(["ECHO_LATENCY_MS": "120"])
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await registry.resolve(model: "echo").provider.complete(LLMRequest(model: "echo", userPrompt: "x"))
        #expect(clock.now - start >= .milliseconds(110))
    }
}
