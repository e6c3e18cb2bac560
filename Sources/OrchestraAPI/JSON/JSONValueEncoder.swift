/// Encodes an `Encodable` value into a ``JSONValue`` tree, object members in the order its
/// `encode(to:)` writes them (a synthesised conformance writes them in declaration order), so typed
/// response models come out as the contract lists their fields. Write the tree with
/// ``JSONValue/compactJSONBytes``: the one JSON writer of the server.
///
/// Foundation's `JSONEncoder` is not used because it does not keep member order. Integers that do
/// not fit `Int64` become doubles; a ``JSONValue`` or ``JSONObject`` inside the model is taken as it is.
public struct JSONValueEncoder: Sendable {
    /// An encoder.
    public init() {}

    /// `value` as a JSON tree.
    public func encode(_ value: some Encodable) throws -> JSONValue {
        let node = EncodingNode()
        try node.store(value, codingPath: [])
        return node.value
    }
}

/// One value being encoded: a scalar, an object (members in first-write order) or an array.
private final class EncodingNode {
    private enum Content {
        case empty
        case scalar(JSONValue)
        case object(keys: [String], members: [String: EncodingNode])
        case array([EncodingNode])
    }

    private var content = Content.empty

    var value: JSONValue {
        switch content {
        case .empty: .object(JSONObject())  // an `encode(to:)` that wrote nothing, as JSONEncoder writes it
        case .scalar(let value): value
        case .object(let keys, let members):
            .object(JSONObject(keys.map { ($0, members[$0]?.value ?? .null) }))
        case .array(let items): .array(items.map(\.value))
        }
    }

    func set(_ value: JSONValue) { content = .scalar(value) }

    /// Encodes `value` here: a ``JSONValue`` as it is, anything else through its `encode(to:)`.
    func store(_ value: some Encodable, codingPath: [any CodingKey]) throws {
        if let json = value as? JSONValue {
            set(json)
        } else if let object = value as? JSONObject {
            set(.object(object))
        } else {
            try value.encode(to: NodeEncoder(node: self, codingPath: codingPath))
        }
    }

    /// The member `key`, created (at the end) when new; the node becomes an object.
    func member(_ key: String) -> EncodingNode {
        var keys: [String] = []
        var members: [String: EncodingNode] = [:]
        if case .object(let existingKeys, let existingMembers) = content {
            if let node = existingMembers[key] { return node }
            keys = existingKeys
            members = existingMembers
        }
        content = .empty  // drop the references before growing, so the arrays are not copied
        let node = EncodingNode()
        keys.append(key)
        members[key] = node
        content = .object(keys: keys, members: members)
        return node
    }

    func becomeObject() {
        if case .object = content { return }
        content = .object(keys: [], members: [:])
    }

    /// A new element at the end; the node becomes an array.
    func appendElement() -> EncodingNode {
        var items: [EncodingNode] = []
        if case .array(let existing) = content { items = existing }
        content = .empty
        let node = EncodingNode()
        items.append(node)
        content = .array(items)
        return node
    }

    func becomeArray() {
        if case .array = content { return }
        content = .array([])
    }

    var count: Int {
        switch content {
        case .array(let items): items.count
        case .object(let keys, _): keys.count
        default: 0
        }
    }
}

private struct NodeEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.becomeArray()
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

/// Integers as JSON: exact when they fit `Int64`.
private func integer(_ value: some BinaryInteger) -> JSONValue {
    Int64(exactly: value).map(JSONValue.int) ?? .double(Double(value))
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue, _ key: Key) { node.member(key.stringValue).set(value) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(.double(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(integer(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(integer(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(integer(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(integer(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(integer(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(integer(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(integer(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(integer(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(integer(value), key) }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        try node.member(key.stringValue).store(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = node.member(key.stringValue)
        child.becomeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.member(key.stringValue)
        child.becomeArray()
        return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.member("super"), codingPath: codingPath + [JSONCodingKey("super")])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    private func append(_ value: JSONValue) { node.appendElement().set(value) }
    private var nextPath: [any CodingKey] { codingPath + [JSONCodingKey(String(count))] }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(.double(value)) }
    mutating func encode(_ value: Float) throws { append(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { append(integer(value)) }
    mutating func encode(_ value: Int8) throws { append(integer(value)) }
    mutating func encode(_ value: Int16) throws { append(integer(value)) }
    mutating func encode(_ value: Int32) throws { append(integer(value)) }
    mutating func encode(_ value: Int64) throws { append(integer(value)) }
    mutating func encode(_ value: UInt) throws { append(integer(value)) }
    mutating func encode(_ value: UInt8) throws { append(integer(value)) }
    mutating func encode(_ value: UInt16) throws { append(integer(value)) }
    mutating func encode(_ value: UInt32) throws { append(integer(value)) }
    mutating func encode(_ value: UInt64) throws { append(integer(value)) }

    mutating func encode(_ value: some Encodable) throws {
        let path = nextPath
        try node.appendElement().store(value, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        let child = node.appendElement()
        child.becomeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        let child = node.appendElement()
        child.becomeArray()
        return UnkeyedNodeContainer(node: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        return NodeEncoder(node: node.appendElement(), codingPath: path)
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.set(.null) }
    mutating func encode(_ value: Bool) throws { node.set(.bool(value)) }
    mutating func encode(_ value: String) throws { node.set(.string(value)) }
    mutating func encode(_ value: Double) throws { node.set(.double(value)) }
    mutating func encode(_ value: Float) throws { node.set(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { node.set(integer(value)) }
    mutating func encode(_ value: Int8) throws { node.set(integer(value)) }
    mutating func encode(_ value: Int16) throws { node.set(integer(value)) }
    mutating func encode(_ value: Int32) throws { node.set(integer(value)) }
    mutating func encode(_ value: Int64) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt8) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt16) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt32) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt64) throws { node.set(integer(value)) }
    mutating func encode(_ value: some Encodable) throws { try node.store(value, codingPath: codingPath) }
}
