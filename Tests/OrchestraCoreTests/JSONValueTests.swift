import Foundation
import OrchestraCore
import Testing

@Suite struct JSONValueTests {
    @Test func decodesIntegersExactly() throws {
        let value = try JSONValue.parse(Data(#"{"big": 9007199254740993, "f": 1.5, "e": 1e3, "neg": -7}"#.utf8))
        #expect(value["big"] == .int(9_007_199_254_740_993))
        #expect(value["f"] == .double(1.5))
        #expect(value["neg"] == .int(-7))
        #expect(value["e"]?.doubleValue == 1000)
    }

    @Test func decodesEveryKind() throws {
        let value = try JSONValue.parse(Data(#"[null, true, false, "s", [1], {"k": {}}]"#.utf8))
        #expect(value == [nil, true, false, "s", [1], ["k": [:]]])
        #expect(value[1]?.boolValue == true)
        #expect(value[0]?.isNull == true)
        #expect(value[9] == nil)
    }

    @Test func numbersOutsideInt64BecomeDoubles() throws {
        let value = try JSONValue.parse(Data("18446744073709551616".utf8))
        #expect(value == .double(18_446_744_073_709_551_616))
    }

    @Test func booleansAreNotNumbers() throws {
        let value = try JSONValue.parse(Data("[true, 1, 0]".utf8))
        #expect(value == [.bool(true), .int(1), .int(0)])
    }

    @Test func accessors() {
        let value: JSONValue = ["a": 2.0, "b": 2.5, "c": "x"]
        #expect(value["a"]?.intValue == 2)
        #expect(value["b"]?.intValue == nil)
        #expect(value["b"]?.doubleValue == 2.5)
        #expect(value["c"]?.stringValue == "x")
        #expect(value["c"]?.intValue == nil)
        #expect(value.objectValue?.count == 3)
        #expect(value.arrayValue == nil)
    }

    @Test func compactSortedJSON() {
        let value: JSONValue = ["b": [1, 2.5, nil], "a": "q\"\\\n\u{01}/é", "c": ["z": true, "y": false]]
        #expect(value.compactJSONString == #"{"a":"q\"\\\n\u0001/é","b":[1,2.5,null],"c":{"y":false,"z":true}}"#)
        #expect(value.compactJSONByteCount == value.compactJSONString.utf8.count)
    }

    @Test func roundTripsThroughCodable() throws {
        let value: JSONValue = ["list": [1, "two", 3.25, nil, true], "nested": ["k": -1]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONValue.parse(data) == value)
    }
}
