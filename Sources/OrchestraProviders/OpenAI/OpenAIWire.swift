/// The JSON of OpenAI's chat completions API (and of the OpenAI-compatible servers that copy it).
enum OpenAIWire {
    /// `POST /chat/completions` body.
    struct Request: Encodable, Sendable {
        struct Message: Encodable, Sendable {
            var role: String
            var content: String
        }
        var model: String
        var messages: [Message]
        var temperature: Double?
        var maxTokens: Int?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature
            case maxTokens = "max_tokens"
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
        var message: String?

        private struct Detail: Decodable {
            var message: String?
            var type: String?
            var code: StringOrNumber?
        }

        private enum CodingKeys: String, CodingKey { case error }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let text = try? container.decode(String.self, forKey: .error) {
                self.message = text
                return
            }
            let detail = try container.decode(Detail.self, forKey: .error)
            let labels = [detail.type, detail.code?.text].compactMap { $0 }.filter { !$0.isEmpty }
            var message = detail.message ?? ""
            if !labels.isEmpty { message += " (\(labels.joined(separator: ", ")))" }
            self.message = message.isEmpty ? nil : message
        }
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
