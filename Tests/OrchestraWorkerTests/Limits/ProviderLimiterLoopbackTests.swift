import AsyncHTTPClient
import OrchestraConfig
import OrchestraProviderTestSupport
import OrchestraProviders
import OrchestraScheduler
import Testing

@Suite("ProviderLimiter: a real provider behind two limiters", .timeLimit(.minutes(5)))
struct ProviderLimiterLoopbackTests {
    @Test func theServerNeverSeesMoreThanTheLimit() async throws {
        let stub = StubResponse(body: OpenAIFixtures.success, delay: .milliseconds(100))
        try await LoopbackProviderServer.with([stub]) { server, base in
            try await LimiterCluster.with(2, limits: ["openai": ProviderLimits(maxConcurrency: 2)]) { cluster throws in
                let provider = OpenAIProvider(baseURL: base + "/v1", apiKey: APIKey("sk-test"), httpClient: .shared)
                let request = LLMRequest(model: "gpt-4o-mini", systemPrompt: "sys", userPrompt: "user", timeout: .seconds(10))
                let start = ContinuousClock.now
                let answers = try await withThrowingTaskGroup(of: LLMResponse.self) { group in
                    for call in 0..<10 {
                        let limiter = cluster.limiters[call % 2]
                        group.addTask {
                            try await limiter.withPermit(provider: provider.name) { try await provider.complete(request) }
                        }
                    }
                    var answers: [LLMResponse] = []
                    for try await answer in group { answers.append(answer) }
                    return answers
                }
                // Five rounds of 100 ms; a waiter missing its wake-up would sit out the 15 s permit ttl.
                #expect(ContinuousClock.now - start < .seconds(10))
                #expect(answers.count == 10)
                #expect(server.requests.count == 10)
                #expect(server.maxInFlight == 2)
                #expect(try await cluster.count(cluster.keys("openai").inFlight) == 0)
            }
        }
    }
}
