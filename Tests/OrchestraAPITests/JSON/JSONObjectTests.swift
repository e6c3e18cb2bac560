import OrchestraAPI
import Testing

@Suite struct JSONObjectTests {
    /// Twenty keys in an order that is neither sorted nor any hash order.
    static let shuffledKeys = (0..<20).map { "k\(($0 * 7 + 3) % 20)" }

    @Test func keepsInsertionOrder() {
        var object = JSONObject()
        for (index, key) in Self.shuffledKeys.enumerated() { object[key] = .int(Int64(index)) }
        #expect(object.keys == Self.shuffledKeys)
        #expect(object.values == (0..<20).map { JSONValue.int(Int64($0)) })
        #expect(object.map(\.key) == Self.shuffledKeys)
        #expect(object.count == 20)
        #expect(object["k3"] == 0)
        #expect(object["k10"] == 1)
        #expect(object["absent"] == nil)
    }

    @Test(arguments: [3, 8, 9, 20])
    func replacingKeepsThePositionAndRemovingClosesTheGap(size: Int) {
        let keys = Array(Self.shuffledKeys.prefix(size))
        var object = JSONObject(keys.map { ($0, JSONValue.string($0)) })
        object[keys[1]] = "replaced"
        #expect(object.keys == keys)
        #expect(object[keys[1]] == "replaced")
        #expect(object.updateValue("again", forKey: keys[1]) == "replaced")

        #expect(object.removeValue(forKey: keys[0]) == .string(keys[0]))
        #expect(object.removeValue(forKey: keys[0]) == nil)
        object[keys[2]] = nil
        #expect(object.keys == [keys[1]] + keys[3...])
        for key in keys[3...] { #expect(object[key] == .string(key)) }
        if size > 3 { #expect(object.index(forKey: keys[size - 1]) == size - 3) }

        object[keys[0]] = "back"
        #expect(object.keys.last == keys[0])
        #expect(object[keys[0]] == "back")
        #expect(object.count == size - 1)
    }

    @Test func literalsAndPairsLetTheLastValueWinAtTheFirstPosition() {
        let literal: JSONObject = ["a": 1, "b": 2, "a": 3]
        #expect(literal.keys == ["a", "b"])
        #expect(literal["a"] == 3)
        let many = JSONObject((Self.shuffledKeys + ["k3"]).enumerated().map { ($1, JSONValue.int(Int64($0))) })
        #expect(many.keys == Self.shuffledKeys)
        #expect(many["k3"] == 20)
    }

    @Test func equalityAndHashingIgnoreOrder() {
        let forward = JSONObject(Self.shuffledKeys.map { ($0, JSONValue.string($0)) })
        let backward = JSONObject(Self.shuffledKeys.reversed().map { ($0, JSONValue.string($0)) })
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        #expect(Set([JSONValue.object(forward), .object(backward)]).count == 1)
        #expect(["a": 1, "b": 2] as JSONObject == ["b": 2, "a": 1])
        #expect(["a": 1, "b": 2] as JSONObject != ["a": 1, "b": 3])
        #expect(["a": 1, "b": 2] as JSONObject != ["a": 1, "c": 2])
        #expect(["a": 1] as JSONObject != ["a": 1, "b": 2])
        #expect((["a": 1, "b": 2] as JSONObject).hashValue != (["a": 2, "b": 1] as JSONObject).hashValue)
    }

    @Test func dictionaryLikeHelpers() {
        var object: JSONObject = ["z": 1, "a": 2]
        object.merge(["a": 20, "m": 30]) { old, new in .int((old.intValue ?? 0) + (new.intValue ?? 0)) }
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["a"] == 22)
        #expect(object.mapValues { .array([$0]) } == ["z": [1], "a": [22], "m": [30]])
        #expect(object.mapValues { .array([$0]) }.keys == ["z", "a", "m"])
        #expect(JSONObject().isEmpty)
        #expect(!object.isEmpty)
        #expect(object.description == #"{"z":1,"a":22,"m":30}"#)
        var visited: [String] = []
        for (key, value) in object where value.intValue != nil { visited.append(key) }
        #expect(visited == ["z", "a", "m"])
    }
}
