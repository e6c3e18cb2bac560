/// A coding key for any object member.
struct JSONCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension JSONValue: Codable {
    /// Decodes any JSON value in one pass over it.
    ///
    /// The container kind is found first (object, then array, then a scalar), so every value is
    /// decoded once and no subtree is read again. A failed probe still costs the decoder an error,
    /// and `JSONDecoder` builds each error's coding path afresh, which grows with the depth: deep
    /// arrays decode markedly slower this way than through ``parse(_:maxDepth:)-(Data,_)``. Integral
    /// numbers that fit `Int64` stay exact. `JSONDecoder` does not report object keys in document
    /// order, so objects decoded through it lose their order. The server reads all JSON with
    /// ``parse(_:maxDepth:)-(Data,_)``; this conformance is for models decoded by clients and tests.
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: JSONCodingKey.self) {
            let keys = container.allKeys
            var object = JSONObject(minimumCapacity: keys.count)
            for key in keys {
                object[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
            }
            self = .object(object)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            if let count = container.count { elements.reserveCapacity(count) }
            while !container.isAtEnd {
                elements.append(try container.decode(JSONValue.self))
            }
            self = .array(elements)
            return
        }
        // Strings first: they are the commonest leaves of request and result documents.
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .bool(try container.decode(Bool.self))
        }
    }

    /// Encodes the value as the matching JSON value; object members in order.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let object):
            try object.encode(to: encoder)
        }
    }
}

extension JSONObject: Codable {
    /// Decodes an object. Member order is whatever the decoder's `allKeys` reports (not document
    /// order for Foundation's `JSONDecoder`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONCodingKey.self)
        let keys = container.allKeys
        self.init(minimumCapacity: keys.count)
        for key in keys {
            self[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
    }

    /// Encodes the members in insertion order (an encoder may still reorder them).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONCodingKey.self)
        for (key, value) in self {
            try container.encode(value, forKey: JSONCodingKey(key))
        }
    }
}
