import OrchestraCore
import OrchestraProviders
import Testing

@testable import OrchestraWorker

@Suite("Task answers: the result object and the stored answer")
struct TaskAnswerTests {
    @Test func resultCarriesOutputProviderModelAndUsage() {
        let answer = TaskAnswer(
            LLMResponse(
                text: "hi \"there\"", provider: "openai", model: "gpt-4o-mini", usage: TokenUsage(promptTokens: 3, completionTokens: 4)))
        #expect(
            answer.resultJSON
                == #"{"output":"hi \"there\"","provider":"openai","model":"gpt-4o-mini","usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}"#
        )
        #expect(TaskAnswer(resultJSON: answer.resultJSON) == answer)
    }

    @Test func unknownUsageIsNull() {
        let answer = TaskAnswer(output: "x", provider: "openai-compatible", model: "llama3.1", usage: nil)
        #expect(answer.resultJSON == #"{"output":"x","provider":"openai-compatible","model":"llama3.1","usage":null}"#)
        #expect(TaskAnswer(resultJSON: answer.resultJSON) == answer)
        #expect(TaskAnswer(resultJSON: "not json") == nil)
        #expect(TaskAnswer(resultJSON: #"{"provider":"openai"}"#) == nil)
    }
}
