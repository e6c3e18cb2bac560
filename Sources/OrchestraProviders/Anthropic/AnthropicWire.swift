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

        enum CodingKeys: String, CodingKey {
            case model, system, messages, temperature
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
}
