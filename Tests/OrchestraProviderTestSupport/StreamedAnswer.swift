import Foundation

/// A scripted JSON answer re-sent in a provider's streaming wire format, as OpenAI's and
/// Anthropic's APIs send it for `"stream": true`: the same text in pieces of a few characters,
/// the same usage and model.
public enum StreamedAnswer {
    /// The wire format, told by the request path.
    public enum Format: Sendable {
        /// Chat completion chunks in `data:` lines, a usage chunk, `data: [DONE]`.
        case openAI
        /// Named message events (`message_start` … `message_stop`).
        case anthropic

        /// The format of requests to `path`, if it is a streaming API.
        public init?(path: String) {
            if path.hasSuffix("/chat/completions") {
                self = .openAI
            } else if path.hasSuffix("/messages") {
                self = .anthropic
            } else {
                return nil
            }
        }
    }

    /// One event of the stream, as sent (`data: …` and the blank line after it).
    public struct Event: Sendable {
        /// The event's bytes.
        public var text: String
        /// Whether it carries a piece of the answer's text.
        public var isPiece: Bool
    }

    /// The characters per piece.
    public static let pieceLength = 3

    /// The answer's text cut into pieces of ``pieceLength`` characters.
    public static func pieces(of text: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(pieceLength)))
            rest = rest.dropFirst(pieceLength)
        }
        return pieces
    }

    /// The stream of a JSON answer `body`, or `nil` when it is not a success body of `format`.
    public static func events(of body: String, format: Format, includeUsage: Bool) -> [Event]? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] else { return nil }
        switch format {
        case .openAI: return openAI(object, includeUsage: includeUsage)
        case .anthropic: return anthropic(object)
        }
    }

    /// An error event carrying `error` (the provider's error JSON).
    public static func errorEvent(_ error: String, format: Format) -> String {
        switch format {
        case .openAI: "data: \(error)\n\n"
        case .anthropic: "event: error\ndata: \(error)\n\n"
        }
    }

    private static func openAI(_ object: [String: Any], includeUsage: Bool) -> [Event]? {
        guard let choices = object["choices"] as? [[String: Any]], let message = choices.first?["message"] as? [String: Any] else {
            return nil
        }
        let content = message["content"] as? String
        let refusal = message["refusal"] as? String
        guard content != nil || refusal != nil else { return nil }
        let base: [String: Any] = [
            "id": object["id"] ?? "chatcmpl-loopback", "object": "chat.completion.chunk", "created": object["created"] ?? 0,
            "model": object["model"] ?? "loopback", "system_fingerprint": "fp_loopback",
        ]
        func chunk(delta: [String: Any], finishReason: Any = NSNull(), isPiece: Bool = false) -> Event {
            var chunk = base
            chunk["choices"] = [["index": 0, "delta": delta, "logprobs": NSNull(), "finish_reason": finishReason]]
            if includeUsage { chunk["usage"] = NSNull() }
            return Event(text: "data: \(json(chunk))\n\n", isPiece: isPiece)
        }
        var events = [chunk(delta: ["role": "assistant", "content": content == nil ? NSNull() : "", "refusal": NSNull()])]
        if let content {
            events += pieces(of: content).map { chunk(delta: ["content": $0], isPiece: true) }
        } else if let refusal {
            events += pieces(of: refusal).map { chunk(delta: ["refusal": $0], isPiece: true) }
        }
        events.append(chunk(delta: [:], finishReason: choices.first?["finish_reason"] ?? "stop"))
        if includeUsage {
            var last = base
            last["choices"] = [Any]()
            last["usage"] = object["usage"] ?? NSNull()
            events.append(Event(text: "data: \(json(last))\n\n", isPiece: false))
        }
        events.append(Event(text: "data: [DONE]\n\n", isPiece: false))
        return events
    }

    private static func anthropic(_ object: [String: Any]) -> [Event]? {
        guard let blocks = object["content"] as? [[String: Any]] else { return nil }
        let usage = object["usage"] as? [String: Any]
        func event(_ type: String, _ data: [String: Any], isPiece: Bool = false) -> Event {
            var data = data
            data["type"] = type
            return Event(text: "event: \(type)\ndata: \(json(data))\n\n", isPiece: isPiece)
        }
        var message: [String: Any] = [
            "id": object["id"] ?? "msg_loopback", "type": "message", "role": "assistant", "content": [Any](),
            "model": object["model"] ?? "loopback", "stop_reason": NSNull(), "stop_sequence": NSNull(),
        ]
        if let usage {
            message["usage"] = ["input_tokens": usage["input_tokens"] ?? 0, "output_tokens": 1]
        }
        var events = [event("message_start", ["message": message])]
        for (index, block) in blocks.enumerated() {
            guard block["type"] as? String == "text", let text = block["text"] as? String else { continue }
            events.append(event("content_block_start", ["index": index, "content_block": ["type": "text", "text": ""]]))
            if index == 0 { events.append(event("ping", [:])) }
            for piece in pieces(of: text) {
                events.append(
                    event("content_block_delta", ["index": index, "delta": ["type": "text_delta", "text": piece]], isPiece: true))
            }
            events.append(event("content_block_stop", ["index": index]))
        }
        var delta: [String: Any] = [
            "delta": ["stop_reason": object["stop_reason"] ?? "end_turn", "stop_sequence": NSNull()]
        ]
        if let usage { delta["usage"] = ["output_tokens": usage["output_tokens"] ?? 0] }
        events.append(event("message_delta", delta))
        events.append(event("message_stop", [:]))
        return events
    }

    private static func json(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
