import Foundation
import OrchestraAPI
import Testing

@Suite struct JSONWriterTests {
    @Test func compactJSONInInsertionOrder() {
        let value: JSONValue = ["b": [1, 2.5, nil], "a": "q\"\\\n\u{01}/é", "c": ["z": true, "y": false]]
        #expect(value.compactJSONString == #"{"b":[1,2.5,null],"a":"q\"\\\n\u0001/é","c":{"z":true,"y":false}}"#)
        #expect(value.compactJSONByteCount == value.compactJSONString.utf8.count)
        #expect(value.compactJSONBytes == Array(value.compactJSONString.utf8))
    }

    @Test func escapesExactlyWhatJSONRequires() {
        let every = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        let written = JSONValue.string(every + "\"\\/\u{7F}é€😀").compactJSONString
        let expected =
            #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
            + "\\\"\\\\/\u{7F}é€😀\""
        #expect(written == expected)
        #expect(JSONValue.string(every).compactJSONByteCount == JSONValue.string(every).compactJSONString.utf8.count)
    }

    @Test func writeStringAppendsOneLiteral() {
        var bytes = Array(#"{"k":"#.utf8)
        JSONValue.writeString("line\nbreak \"quoted\" ü", into: &bytes)
        bytes.append(UInt8(ascii: "}"))
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"k":"line\nbreak \"quoted\" ü"}"#)
        var integer: [UInt8] = []
        for number: Int64 in [0, 7, -7, 10, 1_000_000, .max, .min] {
            integer.removeAll()
            JSONValue.writeInteger(number, into: &integer)
            #expect(String(decoding: integer, as: UTF8.self) == String(number))
        }
    }

    @Test(arguments: [
        (2.0, "2.0"), (-0.0, "-0.0"), (0.1, "0.1"), (1e16, "1e+16"), (1.5e-7, "1.5e-07"), (123.456, "123.456"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"), (Double.leastNonzeroMagnitude, "5e-324"),
    ])
    func doublesStayDoubles(number: Double, text: String) throws {
        let written = JSONValue.double(number).compactJSONString
        #expect(written == text)
        let read = try JSONValue.parse(written)
        #expect(read == .double(number))
        #expect(JSONValue.double(number).compactJSONByteCount == written.utf8.count)
    }

    @Test func nonFiniteDoublesAreWrittenAsNull() {
        #expect(JSONValue.array([.double(.nan), .double(.infinity)]).compactJSONString == "[null,null]")
        #expect(JSONValue.array([.double(.nan), .double(.infinity)]).compactJSONByteCount == 11)
    }

    @Test func writeAppendsToABuffer() {
        var bytes = Array("prefix:".utf8)
        JSONValue.array([1, ["x": [:]], [], "s"]).write(into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"prefix:[1,{"x":{}},[],"s"]"#)
    }

    /// Shallow levels are written by recursion, deeper ones with an explicit stack; both must agree.
    @Test func deepMixedDocumentsAreWrittenExactly() throws {
        var document = #"[1,"x",null,-2.5]"#
        for level in 0..<150 {
            document = level.isMultiple(of: 2) ? #"{"k\#(level)":\#(document),"e":{},"n":[]}"# : #"[true,\#(document),"s"]"#
        }
        let value = try JSONValue.parse(document, maxDepth: 200)
        #expect(value.compactJSONString == document)
        #expect(value.compactJSONByteCount == document.utf8.count)
    }

    @Test func parseThenWriteReproducesCompactDocuments() throws {
        let documents = [
            #"{"z":1,"a":{"y":[true,false,null],"b":-12.5e-3},"m":"\u0000\n\"é"}"#,
            #"[{"k9":0,"k1":1,"k8":2,"k2":3,"k7":4,"k3":5,"k6":6,"k4":7,"k5":8,"k0":9}]"#,
            #"[-9223372036854775808,9223372036854775807,1e+300,0.5]"#,
        ]
        for document in documents {
            let value = try JSONValue.parse(document)
            let again = try JSONValue.parse(value.compactJSONString)
            #expect(again == value)
            #expect(again.compactJSONString == value.compactJSONString)
            #expect(value.compactJSONByteCount == value.compactJSONString.utf8.count)
        }
        #expect(try JSONValue.parse(documents[1]).compactJSONString == documents[1])
    }
}
