public import NIOCore

/// One reply of the Redis serialization protocol (RESP2), copied out of hiredis at once.
///
/// Bulk strings are binary safe (`ByteBuffer`); status replies are ASCII text. An error reply is a
/// value here: inside an explicit pipeline it fails only its own command.
public enum RESPValue: Sendable, Hashable {
    /// A status reply such as `OK` or `PONG`.
    case simpleString(String)
    /// An error reply such as `ERR unknown command`; its text is the server's.
    case error(String)
    /// An integer reply.
    case integer(Int64)
    /// A bulk string reply; binary safe.
    case bulkString(ByteBuffer)
    /// A null bulk string or null array.
    case null
    /// An array reply; elements may be of any type, nested arrays included.
    case array([RESPValue])
}

extension RESPValue {
    /// The reply as UTF-8 text: bulk and status strings, integers in decimal; `nil` otherwise.
    public var string: String? {
        switch self {
        case .bulkString(let buffer): String(buffer: buffer)
        case .simpleString(let text): text
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// The reply's raw bytes for bulk and status strings.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let buffer): Array(buffer.readableBytesView)
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    /// The reply as an integer: integer replies, and bulk strings holding a decimal number.
    public var int: Int? {
        switch self {
        case .integer(let value): Int(value)
        case .bulkString(let buffer): Int(String(buffer: buffer))
        case .simpleString(let text): Int(text)
        default: nil
        }
    }

    /// The elements of an array reply; `nil` for other types (a null array included).
    public var array: [RESPValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// Whether the reply is a null bulk string or null array.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The error text of an error reply.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }
}

extension RESPValue: CustomStringConvertible {
    /// A short, redis-cli like rendering, for logs and test failures.
    public var description: String {
        switch self {
        case .simpleString(let text): text
        case .error(let message): "(error) \(message)"
        case .integer(let value): "(integer) \(value)"
        case .bulkString(let buffer): "\"\(String(decoding: buffer.readableBytesView.prefix(256), as: UTF8.self))\""
        case .null: "(nil)"
        case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
