/// The JSON of OpenAI's chat completions API (and of the OpenAI-compatible servers that copy it).
enum OpenAIWire {
    /// `POST /chat/completions` body.
    struct Request: Encodable, Sendable {
        struct Message: Encodable, Sendable {
            var role: String
            var content: String
        }
        /// `{"include_usage": true}`: a last chunk carries the usage.
        struct StreamOptions: Encodable, Sendable {
            var includeUsage: Bool

            enum CodingKeys: String, CodingKey {
                case includeUsage = "include_usage"
            }
        }
        var model: String
        var messages: [Message]
        var temperature: Double?
        var maxTokens: Int?
        /// Set (with ``streamOptions``) only for streaming calls; absent otherwise.
        var stream: Bool?
        var streamOptions: StreamOptions?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature, stream
            case maxTokens = "max_tokens"
            case streamOptions = "stream_options"
        }
    }

    /// The parts of a chat completion we read.
    struct Response: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var refusal: String?
            }
            var message: Message?
        }
        struct Usage: Decodable {
            var promptTokens: Int
            var completionTokens: Int
            var totalTokens: Int?

            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
                case totalTokens = "total_tokens"
            }
        }
        var choices: [Choice]?
        var usage: Usage?
    }

    /// `{"error": {"message", "type", "code"}}`; some compatible servers (Ollama) send
    /// `{"error": "message"}` instead, which is accepted too.
    struct ErrorBody: Decodable {
        var error: ErrorDetail

        /// The message with its type and code, e.g. `Rate limit reached (requests, rate_limit_exceeded)`.
        var message: String? { self.error.summary }
    }

    /// The `error` member: an object, or just a message string.
    struct ErrorDetail: Decodable {
        var message: String?
        var type: String?
        var code: String?

        private struct Object: Decodable {
            var message: String?
            var type: String?
            var code: StringOrNumber?
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.message = text
                return
            }
            let object = try container.decode(Object.self)
            self.message = object.message
            self.type = object.type
            self.code = object.code?.text
        }

        /// `message (type, code)` without empty parts; `nil` when there is nothing to say.
        var summary: String? {
            let labels = [self.type, self.code].compactMap { $0 }.filter { !$0.isEmpty }
            var message = self.message ?? ""
            if !labels.isEmpty { message += " (\(labels.joined(separator: ", ")))" }
            return message.isEmpty ? nil : message
        }

        /// The HTTP status this error stands for when it arrives inside a stream: rate limits are
        /// 429, rejected requests 400, key problems 401, anything else a server error.
        var equivalentStatus: Int {
            let labels = [self.type, self.code].compactMap { $0?.lowercased() }
            if labels.contains(where: { $0.contains("rate_limit") || $0 == "requests" || $0 == "tokens" }) { return 429 }
            if labels.contains(where: { $0.contains("api_key") || $0.contains("authentication") || $0.contains("permission") }) {
                return 401
            }
            if labels.contains("invalid_request_error") { return 400 }
            return 500
        }
    }

    /// One `data:` chunk of a streamed chat completion (`chat.completion.chunk`), or an error.
    struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable {
                var content: String?
                var refusal: String?
            }
            var index: Int?
            var delta: Delta?
            var finishReason: String?

            enum CodingKeys: String, CodingKey {
                case index, delta
                case finishReason = "finish_reason"
            }
        }
        var choices: [Choice]?
        var usage: Response.Usage?
        var error: ErrorDetail?
    }

    /// OpenAI's `code` is a string or null; some compatible servers put the status number there.
    struct StringOrNumber: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let int = try? container.decode(Int.self) {
                self.text = String(int)
            } else {
                self.text = try container.decode(String.self)
            }
        }
    }
}
