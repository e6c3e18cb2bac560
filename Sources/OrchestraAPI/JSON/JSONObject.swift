/// A JSON object: string keys mapped to JSON values, kept in the order each key was first inserted.
///
/// Replacing the value of an existing key keeps its position; removing a key closes the gap.
/// Equality and hashing follow JSON semantics, so they ignore the order of the keys.
///
/// Members live in one array. Lookups scan it while the object is small, which beats hashing for
/// the handful of keys typical of request bodies; past ``linearScanLimit`` keys an index from key to
/// position is kept up to date as keys are added.
public struct JSONObject: Sendable {
    /// The members in insertion order.
    private var members: [Element]
    /// The position of every key; kept only while there are more than ``linearScanLimit`` keys.
    private var positions: [String: Int]?

    /// Objects with at most this many keys are searched linearly rather than through an index.
    public static let linearScanLimit = 8

    /// An empty object.
    public init() {
        members = []
    }

    /// An empty object with room for `minimumCapacity` members.
    public init(minimumCapacity: Int) {
        members = []
        members.reserveCapacity(minimumCapacity)
    }

    /// An object from key-value pairs in order; for a repeated key the last value wins and the
    /// key keeps its first position (as Python's `json.loads` does).
    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in pairs { updateValue(value, forKey: key) }
    }

    /// The keys, in insertion order.
    public var keys: [String] { members.map(\.key) }

    /// The values, in the order of ``keys``.
    public var values: [JSONValue] { members.map(\.value) }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The position of `key` in insertion order, or `nil` when absent.
    public func index(forKey key: String) -> Int? {
        if let positions { return positions[key] }
        return members.firstIndex { $0.key == key }
    }

    /// The value of `key`; setting `nil` removes the key, setting a value for a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let position = index(forKey: key) else { return nil }
            return members[position].value
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Sets the value of `key`, in place when it exists, appended otherwise.
    ///
    /// - Returns: the value replaced, or `nil` when the key is new.
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        if let position = index(forKey: key) {
            let old = members[position].value
            members[position].value = value
            return old
        }
        members.append((key, value))
        if positions != nil {
            positions?[key] = members.count - 1
        } else if members.count > Self.linearScanLimit {
            rebuildPositions()
        }
        return nil
    }

    /// Removes `key` and its value; later keys move up one position.
    ///
    /// - Returns: the value removed, or `nil` when the key was absent.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = index(forKey: key) else { return nil }
        let old = members.remove(at: position).value
        rebuildPositions()
        return old
    }

    /// Adds the members of `other` in its order; `combine` picks the value for keys both have.
    public mutating func merge(
        _ other: JSONObject,
        uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue
    ) rethrows {
        for (key, value) in other {
            if let position = index(forKey: key) {
                members[position].value = try combine(members[position].value, value)
            } else {
                updateValue(value, forKey: key)
            }
        }
    }

    /// This object with the members of `other` added as ``merge(_:uniquingKeysWith:)`` does.
    public func merging(
        _ other: JSONObject,
        uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue
    ) rethrows -> JSONObject {
        var result = self
        try result.merge(other, uniquingKeysWith: combine)
        return result
    }

    /// The same keys in the same order, each value transformed.
    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        var result = self
        for position in result.members.indices {
            result.members[position].value = try transform(result.members[position].value)
        }
        return result
    }

    private mutating func rebuildPositions() {
        guard members.count > Self.linearScanLimit else {
            positions = nil
            return
        }
        var index = [String: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() { index[member.key] = position }
        positions = index
    }
}

extension JSONObject {
    /// Builds an object from parallel slices of parsed keys and values, which may repeat keys.
    init(parsedKeys: ArraySlice<String>, values: ArraySlice<JSONValue>) {
        members = []
        members.reserveCapacity(parsedKeys.count)
        for (key, value) in zip(parsedKeys, values) { members.append((key, value)) }
        if members.count > Self.linearScanLimit {
            var index = [String: Int](minimumCapacity: members.count)
            for (position, member) in members.enumerated() {
                guard index.updateValue(position, forKey: member.key) == nil else {
                    self = JSONObject(zip(parsedKeys, values))
                    return
                }
            }
            positions = index
        } else if members.count > 1 {
            for later in 1..<members.count where members[..<later].contains(where: { $0.key == members[later].key }) {
                self = JSONObject(zip(parsedKeys, values))
                return
            }
        }
    }
}

extension JSONObject: RandomAccessCollection {
    /// A member: its key and value.
    public typealias Element = (key: String, value: JSONValue)

    /// Always 0.
    public var startIndex: Int { 0 }

    /// ``count``.
    public var endIndex: Int { members.count }

    /// The member at `position` (0-based, in insertion order).
    public subscript(position: Int) -> Element {
        members[position]
    }
}

extension JSONObject: Hashable {
    /// Same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (position, member) in lhs.members.enumerated() {
            // Same order is the common case: compare in place before looking the key up.
            if position < rhs.members.count, rhs.members[position].key == member.key {
                guard rhs.members[position].value == member.value else { return false }
            } else {
                guard let other = rhs[member.key], other == member.value else { return false }
            }
        }
        return true
    }

    /// Hashes the members independently of their order.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in members {
            var member = Hasher()
            member.combine(key)
            member.combine(value)
            combined ^= member.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object with the literal's members in order; a repeated key keeps its first position and
    /// takes the last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The object as compact JSON.
    public var description: String { JSONValue.object(self).compactJSONString }
}
