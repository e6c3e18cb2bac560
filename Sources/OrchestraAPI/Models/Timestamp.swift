public import Foundation

/// A UTC instant with millisecond precision, encoded in JSON as ISO-8601 text such as
/// `2024-01-01T12:00:00.000Z`.
///
/// Stored as milliseconds since the Unix epoch, which is also how the scheduler keeps times in Redis.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z (negative before it).
    public var millisecondsSinceEpoch: Int64

    /// Creates a timestamp from milliseconds since the Unix epoch.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Creates a timestamp from a `Date`, truncating to whole milliseconds (towards the past).
    public init(_ date: Date) {
        self.millisecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        Timestamp(Date())
    }

    /// The same instant as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000)
    }

    /// ISO-8601 UTC text with milliseconds, e.g. `2024-01-01T12:00:00.000Z`.
    public var iso8601String: String {
        Self.iso8601String(millisecondsSinceEpoch: millisecondsSinceEpoch)
    }

    /// Same as ``iso8601String``.
    public var description: String { iso8601String }

    /// Orders by instant.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// Decodes ISO-8601 text (see ``init(iso8601:)`` for what is accepted).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Invalid ISO-8601 timestamp")
        }
        self = parsed
    }

    /// Encodes as ``iso8601String``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601String)
    }
}
