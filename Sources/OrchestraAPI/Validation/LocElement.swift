/// One step of a validation error's location: an object key or an array index, encoded as a JSON
/// string or integer (FastAPI's `loc` array, e.g. `["body", "tasks", 2, "depends_on", 0]`).
public enum LocElement: Sendable, Hashable, Codable, CustomStringConvertible {
    /// An object member.
    case key(String)
    /// An array position (0-based).
    case index(Int)

    /// Decodes a string or an integer.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let index = try? container.decode(Int.self) {
            self = .index(index)
        } else {
            self = .key(try container.decode(String.self))
        }
    }

    /// Encodes a string or an integer.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .key(let key): try container.encode(key)
        case .index(let index): try container.encode(index)
        }
    }

    /// The key, or the index in decimal.
    public var description: String {
        switch self {
        case .key(let key): return key
        case .index(let index): return String(index)
        }
    }
}

extension LocElement: ExpressibleByStringLiteral {
    /// Creates a ``key(_:)``.
    public init(stringLiteral value: String) { self = .key(value) }
}

extension LocElement: ExpressibleByIntegerLiteral {
    /// Creates an ``index(_:)``.
    public init(integerLiteral value: Int) { self = .index(value) }
}
