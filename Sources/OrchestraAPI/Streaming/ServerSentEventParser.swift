/// Splits a `text/event-stream` into ``ServerSentEvent``s as its bytes arrive, in chunks cut
/// anywhere (mid-line, between CR and LF, inside a UTF-8 sequence).
///
/// Follows the WHATWG parsing rules: lines end with CRLF, LF or CR; a line starting with `:` is a
/// comment; `field: value` loses one space after the colon; `data` lines accumulate, joined with
/// `\n`; a blank line dispatches the event (none when it had no `data`); a leading byte order mark
/// is skipped; an event cut off by the end of the stream is never dispatched. Lines are decoded as
/// UTF-8 only once complete, so a multi-byte character split across chunks arrives whole.
public struct ServerSentEventParser: Sendable {
    /// The error thrown when one event grows past ``maximumEventSize``.
    public struct EventTooLarge: Error, Sendable, Hashable, CustomStringConvertible {
        /// The limit that was exceeded, in bytes.
        public let limit: Int
        /// `an event larger than <limit> bytes`.
        public var description: String { "an event larger than \(limit) bytes" }
    }

    /// The largest event (its lines together, in bytes) accepted before ``feed(_:)`` throws.
    public let maximumEventSize: Int

    private var line: [UInt8] = []
    private var dataSize = 0
    private var type: String?
    private var data = ""
    private var hasData = false
    private var id: String?
    private var afterCR = false
    private var atStart = true

    /// A parser for a new stream.
    public init(maximumEventSize: Int = 8 * 1024 * 1024) {
        self.maximumEventSize = maximumEventSize
    }

    /// Parses the next chunk of the stream and returns the events it completed, in order.
    /// Throws ``EventTooLarge`` when an event exceeds ``maximumEventSize``.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(EventTooLarge) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"):
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\r"):
                afterCR = true
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
                if line.count + dataSize > maximumEventSize { throw EventTooLarge(limit: maximumEventSize) }
            }
        }
        return events
    }

    /// Handles a complete line; returns the event a blank line dispatches.
    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if atStart {
            atStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        guard !line.isEmpty else { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }
        let field: String
        let value: String
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = String(decoding: line[..<colon], as: UTF8.self)
            var start = colon + 1
            if start < line.endIndex, line[start] == UInt8(ascii: " ") { start += 1 }
            value = String(decoding: line[start...], as: UTF8.self)
        } else {
            field = String(decoding: line, as: UTF8.self)
            value = ""
        }
        switch field {
        case "data":
            if hasData { data += "\n" }
            data += value
            dataSize = data.utf8.count
            hasData = true
        case "event":
            type = value
        case "id":
            if !value.utf8.contains(0) { id = value }
        default:
            break  // `retry` and unknown fields are ignored.
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            type = nil
            data = ""
            hasData = false
            id = nil
            dataSize = 0
        }
        guard hasData else { return nil }
        return ServerSentEvent(type: type.flatMap { $0.isEmpty ? nil : $0 }, data: data, id: id)
    }
}
