/// Strict reads of replies: a reply of another type than expected — an error reply above all —
/// throws instead of reading as empty, zero or absent (DESIGN §3.13).
extension RESPValue {
    /// The reply itself, or the error reply thrown as ``RedisError/Code/serverError``.
    public func checked() throws(RedisError) -> RESPValue {
        if case .error(let message) = self { throw RedisError(.serverError, message) }
        return self
    }

    /// The elements of an array reply.
    public func decodeArray() throws(RedisError) -> [RESPValue] {
        if case .array(let values) = try checked() { return values }
        throw unexpected("an array")
    }

    /// The elements of an array reply, or `nil` for a null reply.
    public func decodeOptionalArray() throws(RedisError) -> [RESPValue]? {
        switch try checked() {
        case .array(let values): return values
        case .null: return nil
        default: throw unexpected("an array or null")
        }
    }

    /// An integer reply (or a bulk string holding a decimal integer, as Lua numbers may come back).
    public func decodeInt() throws(RedisError) -> Int {
        if let value = try checked().int { return value }
        throw unexpected("an integer")
    }

    /// A bulk or status string as UTF-8 text (integers in decimal).
    public func decodeString() throws(RedisError) -> String {
        if let value = try checked().string { return value }
        throw unexpected("a string")
    }

    /// A string, or `nil` for a null reply.
    public func decodeOptionalString() throws(RedisError) -> String? {
        let value = try checked()
        if case .null = value { return nil }
        if let text = value.string { return text }
        throw unexpected("a string or null")
    }

    /// The field/value pairs of a flat array reply (`HGETALL`, or a Lua reply of names and
    /// values), as a dictionary. Null values are left out.
    public func decodeFieldMap() throws(RedisError) -> [String: String] {
        let flat = try decodeArray()
        guard flat.count % 2 == 0 else { throw unexpected("an even number of elements") }
        var result: [String: String] = [:]
        result.reserveCapacity(flat.count / 2)
        var position = 0
        while position < flat.count {
            let key = try flat[position].decodeString()
            if let value = try flat[position + 1].decodeOptionalString() { result[key] = value }
            position += 2
        }
        return result
    }

    private func unexpected(_ expected: String) -> RedisError {
        let shown = String(description.prefix(80))
        return RedisError(.unexpectedReply, "expected \(expected), got \(shown)")
    }
}
