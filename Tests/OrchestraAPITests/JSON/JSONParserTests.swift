import Foundation
import OrchestraAPI
import Testing

@Suite struct JSONParserTests {
    private func parseError(_ text: String, maxDepth: Int = JSONValue.defaultMaxDepth) -> JSONParseError? {
        parseError(Array(text.utf8), maxDepth: maxDepth)
    }

    private func parseError(_ bytes: [UInt8], maxDepth: Int = JSONValue.defaultMaxDepth) -> JSONParseError? {
        do {
            let value = try JSONValue.parse(bytes, maxDepth: maxDepth)
            Issue.record("expected an error, parsed \(value)")
            return nil
        } catch {
            return error
        }
    }

    // Offsets and reasons as Python's json module reports them (trailing commas as Python 3.13 does).
    @Test(arguments: [
        ("", JSONParseError.Code.expectingValue, 0, "Expecting value"),
        ("   ", .expectingValue, 3, "Expecting value"),
        ("[1,]", .trailingCommaInArray, 2, "Illegal trailing comma before end of array"),
        (#"{"a":1,}"#, .trailingCommaInObject, 6, "Illegal trailing comma before end of object"),
        ("{", .expectingPropertyName, 1, "Expecting property name enclosed in double quotes"),
        (#"{"a""#, .expectingColon, 4, "Expecting ':' delimiter"),
        (#"{"a" 1}"#, .expectingColon, 5, "Expecting ':' delimiter"),
        (#"{"a":}"#, .expectingValue, 5, "Expecting value"),
        ("[1 2]", .expectingComma, 3, "Expecting ',' delimiter"),
        ("[1", .expectingComma, 2, "Expecting ',' delimiter"),
        ("[1,2", .expectingComma, 4, "Expecting ',' delimiter"),
        (#"{"a":1"#, .expectingComma, 6, "Expecting ',' delimiter"),
        (#"{"a":1 "b"}"#, .expectingComma, 7, "Expecting ',' delimiter"),
        (#""abc"#, .unterminatedString, 0, "Unterminated string starting at"),
        (#"["abc\"]"#, .unterminatedString, 1, "Unterminated string starting at"),
        (#""\"#, .unterminatedString, 0, "Unterminated string starting at"),
        ("\"a\u{01}\"", .invalidControlCharacter, 2, "Invalid control character at"),
        ("\"\t\"", .invalidControlCharacter, 1, "Invalid control character at"),
        (#""\x""#, .invalidEscape, 1, "Invalid \\escape"),
        (#""ab\'""#, .invalidEscape, 3, "Invalid \\escape"),
        (#""\u12""#, .invalidUnicodeEscape, 2, "Invalid \\uXXXX escape"),
        (#""\u12G4""#, .invalidUnicodeEscape, 2, "Invalid \\uXXXX escape"),
        (#""\u"#, .invalidUnicodeEscape, 2, "Invalid \\uXXXX escape"),
        ("01", .extraData, 1, "Extra data"),
        ("[01]", .expectingComma, 2, "Expecting ',' delimiter"),
        ("-", .expectingValue, 0, "Expecting value"),
        ("[-]", .expectingValue, 1, "Expecting value"),
        ("+1", .expectingValue, 0, "Expecting value"),
        (".5", .expectingValue, 0, "Expecting value"),
        ("1.", .extraData, 1, "Extra data"),
        ("1.e5", .extraData, 1, "Extra data"),
        ("1e", .extraData, 1, "Extra data"),
        ("1.5e+", .extraData, 3, "Extra data"),
        ("0x10", .extraData, 1, "Extra data"),
        ("tru", .expectingValue, 0, "Expecting value"),
        ("nul", .expectingValue, 0, "Expecting value"),
        ("truex", .extraData, 4, "Extra data"),
        ("NaN", .expectingValue, 0, "Expecting value"),
        ("Infinity", .expectingValue, 0, "Expecting value"),
        ("[-Infinity]", .expectingValue, 1, "Expecting value"),
        ("'a'", .expectingValue, 0, "Expecting value"),
        ("[1]x", .extraData, 3, "Extra data"),
        ("{1:2}", .expectingPropertyName, 1, "Expecting property name enclosed in double quotes"),
        ("[,]", .expectingValue, 1, "Expecting value"),
        ("{,}", .expectingPropertyName, 1, "Expecting property name enclosed in double quotes"),
        (#"{"a":1,,}"#, .expectingPropertyName, 7, "Expecting property name enclosed in double quotes"),
        ("[1] // comment", .extraData, 4, "Extra data"),
        ("/* comment */ 1", .expectingValue, 0, "Expecting value"),
        ("\u{0B}1", .expectingValue, 0, "Expecting value"),
        (#"{"a" : 1 , "b":[true , null] }x"#, .extraData, 30, "Extra data"),
        (#"{"a":{"b":[1,{"c":}]}}"#, .expectingValue, 18, "Expecting value"),
        ("1e400", .numberOutOfRange, 0, "Number out of range"),
        ("[0, -1e400]", .numberOutOfRange, 4, "Number out of range"),
        ("1e99999999999999999999", .numberOutOfRange, 0, "Number out of range"),
    ])
    func malformedDocumentsReportOffsetAndReason(text: String, code: JSONParseError.Code, offset: Int, reason: String) {
        let error = parseError(text)
        #expect(error?.code == code)
        #expect(error?.offset == offset)
        #expect(error?.reason == reason)
        #expect(error?.description == "\(reason) (byte \(offset))")
    }

    @Test func errorsNeverEchoTheInput() {
        let error = parseError(#"{"secret-key-sk-123": tru}"#)
        #expect(error?.offset == 22)
        #expect(error?.description.contains("secret") == false)
        #expect(error?.reason.contains("tru") == false)
    }

    @Test func offsetsCountBytesNotCharacters() {
        #expect(parseError(#"["é€𝄞", x]"#)?.offset == 14)
    }

    @Test func everyEscape() throws {
        let value = try JSONValue.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\u20ac\uD834\uDD1E\ud834\udd1e\u0000""#)
        #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\tAé€€𝄞𝄞\u{0}"))
        #expect(try JSONValue.parse(#""plain, no escapes""#) == "plain, no escapes")
        #expect(try JSONValue.parse(#""mixed é \n then more ü""#) == "mixed é \n then more ü")
        #expect(try JSONValue.parse(#"{"k\u00e9y": 1}"#) == ["kéy": 1])
    }

    @Test(arguments: [
        (#""\uD800""#, "\u{FFFD}"),
        (#""\uDC00""#, "\u{FFFD}"),
        (#""a\uDBFFb""#, "a\u{FFFD}b"),
        (#""\uD800\u0041""#, "\u{FFFD}A"),
        (#""\uD800\n""#, "\u{FFFD}\n"),
        (#""\uDC00\uD800""#, "\u{FFFD}\u{FFFD}"),
        (#""\uD800\uD800\uDC00""#, "\u{FFFD}\u{10000}"),
        (#""\uDBFF\uDFFF""#, "\u{10FFFF}"),
        (#""\uD83D\uDE00!""#, "😀!"),
    ])
    func surrogatePairsAndLoneSurrogates(text: String, expected: String) throws {
        #expect(try JSONValue.parse(text) == .string(expected))
    }

    /// Strings are scanned eight bytes at a time; a special byte must be found wherever it falls.
    @Test func specialBytesAtEveryPositionOfALongString() throws {
        let plain = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        for position in 0..<plain.count {
            func document(_ replacement: [UInt8]) -> [UInt8] {
                [UInt8(ascii: "\"")] + plain[..<position] + replacement + plain[(position + 1)...] + [UInt8(ascii: "\"")]
            }
            let prefix = String(decoding: plain[..<position], as: UTF8.self)
            let suffix = String(decoding: plain[(position + 1)...], as: UTF8.self)
            #expect(try JSONValue.parse(document(Array("\\n".utf8))) == .string(prefix + "\n" + suffix))
            #expect(try JSONValue.parse(document([0xC3, 0xA9])) == .string(prefix + "é" + suffix))
            #expect(parseError(document([0x1F]))?.offset == position + 1)
            #expect(parseError(document([0x1F]))?.code == .invalidControlCharacter)
            #expect(parseError(document([0xFF]))?.offset == position + 1)
            let ended = try JSONValue.parse(Array(document([UInt8(ascii: "\"")])[..<(position + 2)]))
            #expect(ended == .string(prefix))
        }
    }

    @Test func aBadEscapeAfterAHighSurrogateIsStillReported() {
        let error = parseError(#""\uD800\u12""#)
        #expect(error?.code == .invalidUnicodeEscape)
        #expect(error?.offset == 8)
    }

    @Test(
        arguments: [
            ([0x22, 0xFF, 0x22], 1),  // never valid in UTF-8
            ([0x22, 0x80, 0x22], 1),  // continuation byte without a lead
            ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong "/"
            ([0x22, 0xC1, 0xBF, 0x22], 1),  // overlong
            ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),  // overlong three-byte form
            ([0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22], 1),  // overlong four-byte form
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // UTF-16 surrogate D800 encoded
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
            ([0x22, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x22], 1),  // five-byte form
            ([0x22, 0x61, 0xC3, 0x22], 2),  // truncated before the closing quote
            ([0x22, 0xE2, 0x82], 1),  // truncated at the end of input
            ([0x22, 0x5C, 0x6E, 0xE9, 0x22], 3),  // after an escape: Latin-1 "é"
            ([0x7B, 0x22, 0x6B, 0xFE, 0x22, 0x3A, 0x31, 0x7D], 3),  // in a key
        ] as [([UInt8], Int)])
    func invalidUTF8IsRejected(bytes: [UInt8], offset: Int) {
        let error = parseError(bytes)
        #expect(error?.code == .invalidUTF8)
        #expect(error?.offset == offset)
        #expect(error?.reason == "Invalid UTF-8")
    }

    @Test func validUTF8AtTheEdgesIsAccepted() throws {
        let bytes: [UInt8] =
            [0x22, 0xC2, 0x80, 0xDF, 0xBF, 0xE0, 0xA0, 0x80, 0xED, 0x9F, 0xBF, 0xEE, 0x80, 0x80, 0xEF, 0xBF, 0xBF]
            + [0xF0, 0x90, 0x80, 0x80, 0xF4, 0x8F, 0xBF, 0xBF, 0x22]
        #expect(try JSONValue.parse(bytes) == .string("\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}"))
        #expect(parseError([0xFF])?.code == .expectingValue)
    }

    @Test func aByteOrderMarkAndSurroundingWhitespaceAreIgnored() throws {
        #expect(try JSONValue.parse([0xEF, 0xBB, 0xBF] + Array(" \t\r\n[1]\n".utf8)) == [1])
        #expect(parseError([0xEF, 0xBB, 0xBF, 0x78])?.offset == 3)
    }

    @Test(arguments: [
        ("0", JSONValue.int(0)),
        ("-0", .int(0)),
        ("7", .int(7)),
        ("-7", .int(-7)),
        ("9223372036854775807", .int(.max)),
        ("-9223372036854775808", .int(.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("-9223372036854775809", .double(-9_223_372_036_854_775_808)),
        ("18446744073709551616", .double(18_446_744_073_709_551_616)),
        ("123456789012345678901234567890", .double(1.2345678901234568e29)),
        ("1.5", .double(1.5)),
        ("-0.0", .double(-0.0)),
        ("1e2", .double(100)),
        ("1E+2", .double(100)),
        ("25e-2", .double(0.25)),
        ("0.1", .double(0.1)),
        ("0.30000000000000004", .double(0.30000000000000004)),
        ("3.141592653589793", .double(3.141592653589793)),
        ("1.7976931348623157e308", .double(.greatestFiniteMagnitude)),
        ("2.2250738585072014e-308", .double(.leastNormalMagnitude)),
        ("5e-324", .double(.leastNonzeroMagnitude)),
        ("1e-400", .double(0)),
        ("1e-99999999999999999999", .double(0)),
        ("0.000000000000000000000000000001", .double(1e-30)),
        // 1e23 lies halfway between two doubles and rounds to even (down); the half breaks the tie upwards.
        ("100000000000000000000000", .double(1e23)),
        ("100000000000000000000000.5", .double(1.0000000000000001e23)),
    ])
    func numbers(text: String, expected: JSONValue) throws {
        let value = try JSONValue.parse(text)
        #expect(value == expected)
        if case .double(let number) = value, case .double(let wanted) = expected {
            #expect(number.sign == wanted.sign)
        }
    }

    @Test func parsedDoublesMatchTheStandardLibrary() throws {
        // Decimal texts of many magnitudes and lengths, compared with Swift's correctly rounded parser.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        for _ in 0..<20_000 {
            let digits = String(next() % 10_000_000_000_000_000)
            let split = Int(next() % UInt64(digits.count + 1))
            let exponent = Int(next() % 80) - 40
            let text = "\(digits.prefix(split).isEmpty ? "0" : String(digits.prefix(split))).\(digits.dropFirst(split))1e\(exponent)"
            let parsed = try JSONValue.parse(text)
            #expect(parsed == .double(Double(text)!), "\(text)")
        }
        for _ in 0..<5_000 {
            let number = Double(bitPattern: next() << 11 | next() % 2048)
            guard number.isFinite else { continue }
            #expect(try JSONValue.parse(number.description) == .double(number))
        }
    }

    @Test func nestingDepthLimit() throws {
        func arrays(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        func objects(_ depth: Int) -> String {
            String(repeating: #"{"a":"#, count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        }
        #expect(try JSONValue.parse(arrays(63)) != .null)
        #expect(try JSONValue.parse(arrays(64)) != .null)
        let error = parseError(arrays(65))
        #expect(error?.code == .depthLimitExceeded)
        #expect(error?.offset == 64)
        #expect(error?.reason == "nesting depth exceeds 64")
        #expect(try JSONValue.parse(objects(64))["a"] != nil)
        #expect(parseError(objects(65))?.offset == 5 * 64)
        // Arrays and objects count alike, and scalars do not count.
        let mixed = String(repeating: #"[{"k":"#, count: 32) + "1" + String(repeating: "}]", count: 32)
        #expect(try JSONValue.parse(mixed) != .null)
        #expect(parseError("[" + mixed + "]")?.code == .depthLimitExceeded)
        #expect(try JSONValue.parse(arrays(65), maxDepth: 65) != .null)
        #expect(parseError("[[]]", maxDepth: 1)?.offset == 1)
        #expect(try JSONValue.parse("[]", maxDepth: 1) == [])
        #expect(try JSONValue.parse("\"x\"", maxDepth: 0) == "x")
    }

    @Test func duplicateKeysKeepTheFirstPositionAndTheLastValue() throws {
        let value = try JSONValue.parse(#"{"a": 1, "b": 2, "a": 3, "c": 4, "b": 5}"#)
        #expect(value.objectValue?.keys == ["a", "b", "c"])
        #expect(value == ["a": 3, "b": 5, "c": 4])
        let members = (0..<12).map { #""k\#($0)": \#($0)"# } + [#""k4": "last""#]
        let large = try JSONValue.parse("{" + members.joined(separator: ", ") + "}")
        #expect(large.objectValue?.keys == (0..<12).map { "k\($0)" })
        #expect(large["k4"] == "last")
        #expect(large["k11"] == 11)
    }

    @Test func bigInputs() throws {
        let long = String(repeating: "abcdefghé€", count: 100_000)
        #expect(try JSONValue.parse("\"\(long)\"") == .string(long))
        let escaped = String(repeating: #"\n\"\u00e9x"#, count: 100_000)
        #expect(try JSONValue.parse("\"\(escaped)\"").stringValue?.count == 400_000)
        let wide = "{" + (0..<50_000).map { #""key\#($0)": [\#($0), "v"]"# }.joined(separator: ",") + "}"
        let object = try #require(try JSONValue.parse(wide).objectValue)
        #expect(object.count == 50_000)
        #expect(object["key49999"] == [49_999, "v"])
        #expect(object.keys.first == "key0")
    }
}
