import NIOHTTP1
import OrchestraAPI
import OrchestraScheduler
import Testing

@Suite("Usage endpoint: counters per provider and model", .timeLimit(.minutes(5)))
struct UsageRouteTests {
    @Test("GET /usage sums completed calls and tokens per provider/model")
    func countsCompletedCalls() async throws {
        try await GatewayFixture.routes { gateway in
            let empty = try await gateway.request(.GET, "/usage")
            #expect(empty.status == 200)
            #expect(try empty.json()["totals"]?["calls"] == 0)

            let submitted = try await gateway.submit(
                Bodies.workflow("u1", tasks: [Bodies.task("a"), Bodies.task("b"), Bodies.task("c")]))
            #expect(submitted.status == 200)
            let queue = gateway.queue()
            for (provider, model, prompt) in [("openai", "gpt-4o", 10), ("openai", "gpt-4o", 5), ("anthropic", "claude-sonnet-4", 7)] {
                let task = try await gateway.claim(queue, workflowID: "u1")
                let outcome = try await queue.complete(
                    task, GatewayFixture.answer("x", provider: provider, model: model, prompt: prompt, completion: 2))
                #expect(outcome == .ok)
            }

            let body = try await gateway.request(.GET, "/usage").json()
            let models = try #require(body["models"]?.arrayValue)
            #expect(models.count == 2)
            let openAI = try #require(models.first { $0["provider"] == "openai" })
            #expect(openAI["model"] == "gpt-4o")
            #expect(openAI["calls"] == 2)
            #expect(openAI["prompt_tokens"] == 15)
            #expect(openAI["completion_tokens"] == 4)
            #expect(body["totals"]?["calls"] == 3)
            #expect(body["totals"]?["total_tokens"] == 28)
        }
    }
}
