/// The JSON of Anthropic's messages API.
enum AnthropicWire {
    /// `POST /v1/messages` body. The system prompt is a top-level field, not a message.
    struct Request: Encodable, Sendable {
        struct Message: Encodable, Sendable {
            var role: String
            var content: String
        }
        var model: String
        var system: String?
        var messages: [Message]
        var maxTokens: Int
        var temperature: Double?
        /// Set only for streaming calls; absent otherwise.
        var stream: Bool?

        enum CodingKeys: String, CodingKey {
            case model, system, messages, temperature, stream
            case maxTokens = "max_tokens"
        }
    }

    /// The parts of a message response we read: text blocks and usage.
    struct Response: Decodable {
        struct Block: Decodable {
            var type: String
            var text: String?
        }
        struct Usage: Decodable {
            var inputTokens: Int
            var outputTokens: Int

            enum CodingKeys: String, CodingKey {
                case inputTokens = "input_tokens"
                case outputTokens = "output_tokens"
            }
        }
        var content: [Block]
        var usage: Usage?
    }

    /// `{"type": "error", "error": {"type": "rate_limit_error", "message": "…"}}`.
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var type: String?
            var message: String?
        }
        var error: Detail

        /// `message (type)`, or `nil` when the body carries neither.
        var summary: String? {
            switch (self.error.message, self.error.type) {
            case (let message?, let type?): "\(message) (\(type))"
            case (let message?, nil): message
            case (nil, let type?): type
            case (nil, nil): nil
            }
        }
    }

    /// One event of a streamed message (`message_start`, `content_block_start`,
    /// `content_block_delta`, `message_delta`, `message_stop`, `ping`, `error`, …): the fields we
    /// read, all optional, as each type carries different ones.
    struct StreamEvent: Decodable {
        struct Message: Decodable {
            var usage: StreamUsage?
        }
        struct Block: Decodable {
            var type: String?
            var text: String?
        }
        struct Delta: Decodable {
            var type: String?
            var text: String?
            var stopReason: String?

            enum CodingKeys: String, CodingKey {
                case type, text
                case stopReason = "stop_reason"
            }
        }
        var type: String
        var message: Message?
        var contentBlock: Block?
        var delta: Delta?
        var usage: StreamUsage?
        var error: ErrorBody.Detail?

        enum CodingKeys: String, CodingKey {
            case type, message, delta, usage, error
            case contentBlock = "content_block"
        }
    }

    /// Usage in a stream: `message_start` has both counts (output a placeholder), `message_delta`
    /// the final, cumulative output count (and input, in newer API versions).
    struct StreamUsage: Decodable {
        var inputTokens: Int?
        var outputTokens: Int?

        enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
        }
    }

    /// The HTTP status an error type stands for (Anthropic's documented pairs); an error event
    /// mid-stream is classified as that status would be.
    static func equivalentStatus(ofErrorType type: String?) -> Int {
        switch type {
        case "invalid_request_error": 400
        case "authentication_error": 401
        case "billing_error": 402
        case "permission_error": 403
        case "not_found_error": 404
        case "request_too_large": 413
        case "rate_limit_error": 429
        case "timeout_error": 504
        case "overloaded_error": 529
        default: 500
        }
    }
}
