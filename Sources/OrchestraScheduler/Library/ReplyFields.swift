import OrchestraRedis

/// A function's reply read by name: the flat `{name, value, name, value, …}` arrays the scheduling
/// library returns. Values of the wrong type throw; nothing reads as empty by accident.
struct ReplyFields: Sendable {
    private var values: [String: RESPValue] = [:]

    init() {}

    /// Reads a flat name/value array reply.
    init(_ reply: RESPValue) throws(RedisError) {
        try self.init(elements: reply.decodeArray())
    }

    /// Reads flat name/value elements.
    init(elements: [RESPValue]) throws(RedisError) {
        guard elements.count % 2 == 0 else { throw RedisError(.unexpectedReply, "a name without a value in a reply") }
        values.reserveCapacity(elements.count / 2)
        var position = 0
        while position < elements.count {
            values[try elements[position].decodeString()] = elements[position + 1]
            position += 2
        }
    }

    /// A value that must be there.
    func string(_ name: String) throws(RedisError) -> String {
        guard let value = values[name] else { throw RedisError(.unexpectedReply, "reply without '\(name)'") }
        return try value.decodeString()
    }

    /// An integer that must be there.
    func int(_ name: String) throws(RedisError) -> Int {
        guard let value = values[name] else { throw RedisError(.unexpectedReply, "reply without '\(name)'") }
        return try value.decodeInt()
    }

    /// A text value, or `nil` when absent or null.
    func optionalString(_ name: String) -> String? {
        values[name]?.string
    }

    /// An array value, or `nil` when absent.
    func array(_ name: String) throws(RedisError) -> [RESPValue]? {
        try values[name]?.decodeOptionalArray()
    }
}
