import Foundation

/// A request the loopback provider server received.
struct RecordedRequest: Sendable {
    var method: String
    var path: String
    /// Header names in lower case; repeated headers joined with `, `.
    var headers: [String: String]
    var body: [UInt8]

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(self.body))) as? [String: Any] ?? [:]
    }

    /// `json["messages"]` as an array of objects.
    var messages: [[String: Any]] {
        self.json["messages"] as? [[String: Any]] ?? []
    }
}
