import Foundation
import OrchestraCore
import OrchestraProviders

/// A provider's answer as the worker stores and reports it: the task's `result` object
/// `{"output": …, "provider": …, "model": …, "usage": {"prompt_tokens", "completion_tokens",
/// "total_tokens"} | null}`. The same JSON is the stored answer a redelivery reuses.
struct TaskAnswer: Sendable, Hashable {
    var output: String
    var provider: String
    var model: String
    var usage: TokenUsage?

    init(output: String, provider: String, model: String, usage: TokenUsage?) {
        self.output = output
        self.provider = provider
        self.model = model
        self.usage = usage
    }

    init(_ response: LLMResponse) {
        self.init(output: response.text, provider: response.provider, model: response.model, usage: response.usage)
    }

    /// Reads a stored result; `nil` when it is not one.
    init?(resultJSON: String) {
        guard let value = try? JSONValue.parse(resultJSON, maxDepth: JSONValue.maximumDepthLimit), let output = value["output"]?.stringValue
        else { return nil }
        var usage: TokenUsage?
        if let prompt = value["usage"]?["prompt_tokens"]?.intValue, let completion = value["usage"]?["completion_tokens"]?.intValue {
            usage = TokenUsage(
                promptTokens: Int(prompt), completionTokens: Int(completion),
                totalTokens: value["usage"]?["total_tokens"]?.intValue.map { Int($0) })
        }
        self.init(
            output: output, provider: value["provider"]?.stringValue ?? "", model: value["model"]?.stringValue ?? "", usage: usage)
    }

    /// The `result` object as compact JSON.
    var resultJSON: String {
        let usageValue: JSONValue =
            usage.map { usage in
                .object([
                    "prompt_tokens": .int(Int64(usage.promptTokens)),
                    "completion_tokens": .int(Int64(usage.completionTokens)),
                    "total_tokens": .int(Int64(usage.totalTokens)),
                ])
            } ?? .null
        let result: JSONValue = .object([
            "output": .string(output), "provider": .string(provider), "model": .string(model), "usage": usageValue,
        ])
        return result.compactJSONString
    }
}
