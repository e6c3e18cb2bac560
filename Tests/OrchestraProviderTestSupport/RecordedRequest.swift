import Foundation

/// A request the loopback provider server received.
public struct RecordedRequest: Sendable {
    public var method: String
    public var path: String
    /// Header names in lower case; repeated headers joined with `, `.
    public var headers: [String: String]
    public var body: [UInt8]

    /// The body as a JSON object (empty when it is not one).
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(self.body))) as? [String: Any] ?? [:]
    }

    /// `json["messages"]` as an array of objects.
    public var messages: [[String: Any]] {
        self.json["messages"] as? [[String: Any]] ?? []
    }
}
