import Foundation
import OrchestraAPI
import Testing

@Suite struct JSONValueTests {
    @Test func decodesIntegersExactly() throws {
        let value = try JSONValue.parse(Data(#"{"big": 9007199254740993, "f": 1.5, "e": 1e3, "neg": -7}"#.utf8))
        #expect(value["big"] == .int(9_007_199_254_740_993))
        #expect(value["f"] == .double(1.5))
        #expect(value["neg"] == .int(-7))
        #expect(value["e"] == .double(1000))
    }

    @Test func decodesEveryKind() throws {
        let value = try JSONValue.parse(Data(#"[null, true, false, "s", [1], {"k": {}}]"#.utf8))
        #expect(value == [nil, true, false, "s", [1], ["k": [:]]])
        #expect(value[1]?.boolValue == true)
        #expect(value[0]?.isNull == true)
        #expect(value[9] == nil)
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

    @Test func everyEntryPointReadsTheSameDocument() throws {
        let text = #" {"b": [1, "é"], "a": null} "#
        let expected: JSONValue = ["b": [1, "é"], "a": nil]
        #expect(try JSONValue.parse(text) == expected)
        #expect(try JSONValue.parse(Data(text.utf8)) == expected)
        #expect(try JSONValue.parse(Array(text.utf8)) == expected)
        #expect(try Array(text.utf8).withUnsafeBytes { try JSONValue.parse($0) } == expected)
        // A String that is not stored contiguously (bridged or a substring copy) still parses.
        #expect(try JSONValue.parse(String(text.dropFirst())) == expected)
    }

    @Test func roundTripsThroughCodable() throws {
        let value: JSONValue = ["list": [1, "two", 3.25, nil, true, -0.5, ["deep": [[]]]], "nested": ["k": -1], "empty": [:]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONValue.parse(data) == value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(try JSONDecoder().decode(JSONObject.self, from: Data(#"{"a": 1, "b": [2.5]}"#.utf8)) == ["b": [2.5], "a": 1])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JSONObject.self, from: Data("[1]".utf8)) }
    }

    @Test func codableDecodingKeepsIntegersExact() throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(#"[9007199254740993, 1.5, -2, true]"#.utf8))
        #expect(value == [.int(9_007_199_254_740_993), .double(1.5), .int(-2), .bool(true)])
    }

    /// `JSONValue`'s `Decodable` conformance, through `JSONDecoder`, on nested and wide documents.
    /// (No time bound: every failed kind probe is a thrown error, which the test runner records at
    /// a cost that would dominate; the server parses with `JSONValue.parse` instead.)
    @Test func codableDecodingReadsNestedAndWideDocuments() throws {
        let deep = String(repeating: #"[{"k": "#, count: 31) + #"[1.5, true, null, "s", 7]"# + String(repeating: "}]", count: 31)
        let nested = "[" + Array(repeating: deep, count: 20).joined(separator: ",") + "]"
        let wide = "[" + (0..<1_000).map { $0 % 3 == 0 ? String($0) : $0 % 3 == 1 ? #""s\#($0)""# : "\($0).5" }.joined(separator: ",") + "]"
        for text in [nested, wide] {
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) == (try JSONValue.parse(text)))
        }
    }
}
