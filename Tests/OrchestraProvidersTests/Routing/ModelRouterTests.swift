import OrchestraProviders
import Testing

@Suite("Model routing table")
struct ModelRouterTests {
    let router = ModelRouter()

    @Test(arguments: [
        ("gpt-4o", "openai", "gpt-4o"),
        ("gpt-4o-mini", "openai", "gpt-4o-mini"),
        ("chatgpt-4o-latest", "openai", "chatgpt-4o-latest"),
        ("o1", "openai", "o1"),
        ("o3-mini", "openai", "o3-mini"),
        ("o4-mini-2025-04-16", "openai", "o4-mini-2025-04-16"),
        ("claude-sonnet-4-20250514", "anthropic", "claude-sonnet-4-20250514"),
        ("Claude-3-5-Haiku", "anthropic", "Claude-3-5-Haiku"),
        ("grok-3", "grok", "grok-3"),
        ("echo", "echo", "echo"),
        ("ECHO", "echo", "echo"),
        ("echo/anything", "echo", "anything"),
        ("openai/ft:gpt-4o:org:custom", "openai", "ft:gpt-4o:org:custom"),
        ("anthropic/claude-x", "anthropic", "claude-x"),
        ("openai-compatible/llama3.1", "openai-compatible", "llama3.1"),
        ("openai-compatible/meta-llama/Llama-3.1-8B", "openai-compatible", "meta-llama/Llama-3.1-8B"),
        ("ollama/llama3", "openai-compatible", "llama3"),
        ("Local/qwen2.5:7b", "openai-compatible", "qwen2.5:7b"),
        ("xai/grok-beta", "grok", "grok-beta"),
        ("  gpt-4o  ", "openai", "gpt-4o"),
    ])
    func routes(model: String, provider: String, routed: String) throws {
        let route = try router.route(model)
        #expect(route == ModelRouter.Route(provider: provider, model: routed))
    }

    @Test(arguments: [
        ("", ModelRoutingError.Code.invalidModel),
        ("   ", .invalidModel),
        ("openai/", .invalidModel),
        ("llama3", .unknownProvider),
        ("omni", .unknownProvider),
        ("o", .unknownProvider),
        ("gpt4", .unknownProvider),
        ("mistral/mixtral", .unknownProvider),
        ("meta-llama/Llama-3.1-8B", .unknownProvider),
    ])
    func rejects(model: String, code: ModelRoutingError.Code) {
        let error = #expect(throws: ModelRoutingError.self) { try router.route(model) }
        #expect(error?.code == code)
    }

    @Test func unknownProviderMessageListsTheKnownOnes() throws {
        let error = try #require(#expect(throws: ModelRoutingError.self) { try router.route("mistral/mixtral") })
        #expect(error.description.contains("'mistral/mixtral'"))
        #expect(error.description.contains("openai, anthropic, grok, openai-compatible, echo"))
    }

    @Test func customProviderNamesBecomePrefixes() throws {
        let router = ModelRouter(additionalProviders: ["vllm"])
        #expect(try router.route("vllm/qwen") == ModelRouter.Route(provider: "vllm", model: "qwen"))
    }
}
