import Foundation

/// Bodies in the exact shape Anthropic's messages API returns them.
public enum AnthropicFixtures {
    public static let success = """
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",\
        "content":[{"type":"text","text":"Hello"},{"type":"text","text":", world"}],"stop_reason":"end_turn",\
        "stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":6,"cache_creation_input_tokens":0,\
        "cache_read_input_tokens":0}}
        """

    public static func error(type: String, message: String) -> String {
        #"{"type":"error","error":{"type":"\#(type)","message":"\#(message)"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"#
    }

    public static let rateLimited = error(
        type: "rate_limit_error",
        message: "Number of request tokens has exceeded your per-minute rate limit")
    public static let overloaded = error(type: "overloaded_error", message: "Overloaded")
    public static let badRequest = error(type: "invalid_request_error", message: "max_tokens: Field required")
    public static let missingContent =
        #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","usage":{"input_tokens":1,"output_tokens":1}}"#
}

extension AnthropicFixtures {
    /// A success body answering `text` (any characters, JSON-escaped) with the given usage.
    public static func success(text: String, inputTokens: Int = 12, outputTokens: Int = 6) -> String {
        let content = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        return """
            {"id":"msg_loopback","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",\
            "content":[{"type":"text","text":\(content)}],"stop_reason":"end_turn","stop_sequence":null,\
            "usage":{"input_tokens":\(inputTokens),"output_tokens":\(outputTokens)}}
            """
    }
}
