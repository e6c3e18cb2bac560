/// A JSON object: string keys mapped to JSON values, kept in the order each key was first inserted.
///
/// Replacing the value of an existing key keeps its position; removing a key closes the gap.
/// Equality and hashing follow JSON semantics, so they ignore the order of the keys.
///
/// Lookups scan the keys while the object is small, which beats hashing for the handful of keys
/// typical of request bodies; past ``linearScanLimit`` keys an index from key to position is kept
/// up to date as keys are added.
public struct JSONObject: Sendable {
    /// The keys, in insertion order.
    public private(set) var keys: [String]
    /// The values, in the order of ``keys``.
    public private(set) var values: [JSONValue]
    /// The position of every key; kept only while there are more than ``linearScanLimit`` keys.
    private var positions: [String: Int]?

    /// Objects with at most this many keys are searched linearly rather than through an index.
    public static let linearScanLimit = 8

    /// An empty object.
    public init() {
        keys = []
        values = []
    }

    /// An empty object with room for `minimumCapacity` members.
    public init(minimumCapacity: Int) {
        self.init()
        keys.reserveCapacity(minimumCapacity)
        values.reserveCapacity(minimumCapacity)
    }

    /// An object from key-value pairs in order; for a repeated key the last value wins and the
    /// key keeps its first position (as Python's `json.loads` does).
    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in pairs { updateValue(value, forKey: key) }
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The position of `key` in ``keys``, or `nil` when absent.
    public func index(forKey key: String) -> Int? {
        if let positions { return positions[key] }
        return keys.firstIndex(of: key)
    }

    /// The value of `key`; setting `nil` removes the key, setting a value for a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let position = index(forKey: key) else { return nil }
            return values[position]
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
            let old = values[position]
            values[position] = value
            return old
        }
        keys.append(key)
        values.append(value)
        if positions != nil {
            positions?[key] = keys.count - 1
        } else if keys.count > Self.linearScanLimit {
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
        keys.remove(at: position)
        let old = values.remove(at: position)
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
                values[position] = try combine(values[position], value)
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
        result.values = try values.map(transform)
        return result
    }

    private mutating func rebuildPositions() {
        guard keys.count > Self.linearScanLimit else {
            positions = nil
            return
        }
        var index = [String: Int](minimumCapacity: keys.count)
        for (position, key) in keys.enumerated() { index[key] = position }
        positions = index
    }
}

extension JSONObject {
    /// Builds an object from parallel arrays of parsed keys and values, which may repeat keys.
    init(parsedKeys: ArraySlice<String>, values: ArraySlice<JSONValue>) {
        self.keys = Array(parsedKeys)
        self.values = Array(values)
        if keys.count > Self.linearScanLimit {
            var index = [String: Int](minimumCapacity: keys.count)
            for (position, key) in keys.enumerated() {
                guard index.updateValue(position, forKey: key) == nil else {
                    self = JSONObject(zip(parsedKeys, values))
                    return
                }
            }
            positions = index
        } else if keys.count > 1 {
            for later in 1..<keys.count where keys[..<later].contains(keys[later]) {
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
    public var endIndex: Int { keys.count }

    /// The member at `position` (0-based, in insertion order).
    public subscript(position: Int) -> Element {
        (keys[position], values[position])
    }
}

extension JSONObject: Hashable {
    /// Same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.keys == rhs.keys { return lhs.values == rhs.values }
        for (key, value) in lhs {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    /// Hashes the members independently of their order.
    public func hash(into hasher: inout Hasher) {
        var members = 0
        for (key, value) in self {
            var member = Hasher()
            member.combine(key)
            member.combine(value)
            members ^= member.finalize()
        }
        hasher.combine(count)
        hasher.combine(members)
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
