public import Foundation

extension JSONValue {
    /// How deeply arrays and objects may nest by default (`MAX_JSON_DEPTH`'s default).
    public static let defaultMaxDepth = 64

    /// The highest depth limit the configuration accepts (`MAX_JSON_DEPTH` is at most this). Read
    /// JSON this program stored itself (parts of bodies that passed that limit) with it, so a raised
    /// limit never makes stored documents unreadable.
    public static let maximumDepthLimit = 1000

    /// Parses a JSON document (any top-level value, optionally surrounded by whitespace) from UTF-8 bytes.
    ///
    /// Strict RFC 8259: no `NaN` or `Infinity`, no trailing commas, no comments, no leading zeros,
    /// no raw control characters in strings, and only well-formed UTF-8. All escapes are decoded,
    /// `\uXXXX` surrogate pairs included; a lone surrogate becomes U+FFFD. Integers that fit `Int64`
    /// stay exact; other numbers become doubles, and a number beyond `Double`'s range is an error.
    /// Object keys keep their document order; for a repeated key the last value wins at the key's
    /// first position, as in Python's `json.loads` (which the Phase 2 service used). A leading UTF-8
    /// byte order mark is ignored.
    ///
    /// The parser is hand-written rather than Foundation's because `JSONSerialization` and
    /// `JSONDecoder` lose key order, have no configurable depth limit, and report no byte offsets;
    /// and because decoding an untyped value through `JSONDecoder` took time quadratic or worse in
    /// the nesting depth. This one reads each byte a bounded number of times (linear time) and
    /// keeps open containers on its own stack, so even a depth limit far above the default cannot
    /// overflow the thread's stack while parsing.
    ///
    /// - Parameters:
    ///   - bytes: the document, UTF-8.
    ///   - maxDepth: how many arrays and objects may be open at once; one more is an error.
    /// - Throws: ``JSONParseError`` with the byte offset of the first problem.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes.assumingMemoryBound(to: UInt8.self), maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    /// Parses a JSON document from `data`; see ``parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``.
    public static func parse(_ data: Data, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try data.withUnsafeBytes { raw in Result { () throws(JSONParseError) in try parse(raw, maxDepth: maxDepth) } }.get()
    }

    /// Parses a JSON document from UTF-8 `bytes`; see ``parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytes { raw in Result { () throws(JSONParseError) in try parse(raw, maxDepth: maxDepth) } }.get()
    }

    /// Parses a JSON document from `text`; see ``parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``.
    /// Offsets in errors count UTF-8 bytes of `text`.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { utf8 in
            Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(utf8), maxDepth: maxDepth) }
        }.get()
    }
}
