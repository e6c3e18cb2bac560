import Foundation

/// Bodies in the exact shape OpenAI's chat completions API returns them.
public enum OpenAIFixtures {
    public static let success = """
        {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion","created":1741570283,\
        "model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant",\
        "content":"Here is the plan.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,\
        "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":\
        {"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},\
        "service_tier":"default","system_fingerprint":"fp_06737a9306"}
        """

    public static let successWithoutUsage = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1741570283,"model":"llama3.1",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"local answer"},"finish_reason":"stop"}]}
        """

    public static let rateLimited = """
        {"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-abc on requests per min (RPM): \
        Limit 3, Used 3, Requested 1. Please try again in 20s.","type":"requests","param":null,"code":"rate_limit_exceeded"}}
        """

    public static let serverError = """
        {"error":{"message":"The server had an error while processing your request. Sorry about that!",\
        "type":"server_error","param":null,"code":null}}
        """

    public static let badRequest = """
        {"error":{"message":"Invalid value for 'temperature': must be between 0 and 2.",\
        "type":"invalid_request_error","param":"temperature","code":"invalid_value"}}
        """

    public static let modelNotFound = """
        {"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.",\
        "type":"invalid_request_error","param":null,"code":"model_not_found"}}
        """

    /// Ollama's OpenAI-compatible endpoint reports errors as a plain string.
    public static let ollamaError = #"{"error":"model \"llama9\" not found, try pulling it first"}"#

    /// A hostile or buggy server that quotes the whole key back.
    public static func invalidKey(echoing key: String) -> String {
        """
        {"error":{"message":"Incorrect API key provided: \(key). You can find your API key at \
        https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}
        """
    }

    public static let missingChoices = #"{"id":"chatcmpl-2","object":"chat.completion","created":1741570283,"model":"gpt-4o"}"#
    public static let nullContent = """
        {"id":"chatcmpl-3","object":"chat.completion","created":1,"model":"gpt-4o",\
        "choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"stop"}]}
        """
    public static let notJSON = "<html><body>502 Bad Gateway</body></html>"
}

extension OpenAIFixtures {
    /// A success body answering `text` (any characters, JSON-escaped) with the given usage.
    public static func success(text: String, promptTokens: Int = 19, completionTokens: Int = 10) -> String {
        let content = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        return """
            {"id":"chatcmpl-loopback","object":"chat.completion","created":1741570283,"model":"gpt-4o-mini-2024-07-18",\
            "choices":[{"index":0,"message":{"role":"assistant","content":\(content),"refusal":null},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":\(promptTokens),"completion_tokens":\(completionTokens),\
            "total_tokens":\(promptTokens + completionTokens)}}
            """
    }

    /// A refusal: `content` null, the reason in `refusal`.
    public static let refusal = """
        {"id":"chatcmpl-4","object":"chat.completion","created":1,"model":"gpt-4o",\
        "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},\
        "finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}
        """

    /// The error chunk OpenAI sends when a stream fails on its side.
    public static let streamServerError =
        #"{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}"#
}
