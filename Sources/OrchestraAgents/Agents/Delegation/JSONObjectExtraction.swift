import Foundation
import OrchestraAPI

/// Finds a JSON object in free model output: the whole text, the contents of a fenced code block
/// (```` ```json … ``` ````), or a balanced `{…}` span inside prose, tried in that order.
enum JSONObjectExtraction {
    /// `{` positions tried as the start of an embedded object; prose rarely has many braces.
    static let maxStarts = 64

    /// The first object in `text` for which `isWanted` holds; failing that, the first object at
    /// all (so the caller can say what it lacks); `nil` when the text holds no JSON object.
    static func object(in text: String, where isWanted: (JSONObject) -> Bool) -> JSONObject? {
        let bytes = Array(text.utf8)
        var fallback: JSONObject?
        func wanted(_ span: ArraySlice<UInt8>) -> JSONObject? {
            guard let object = try? JSONValue.parse(Data(span)).objectValue else { return nil }
            if isWanted(object) { return object }
            if fallback == nil { fallback = object }
            return nil
        }
        if let found = wanted(bytes[...]) { return found }
        for block in fencedBlocks(in: bytes) {
            if let found = wanted(block) { return found }
        }
        var starts = 0
        for start in bytes.indices where bytes[start] == UInt8(ascii: "{") {
            starts += 1
            guard starts <= maxStarts else { break }
            if let end = matchingBrace(in: bytes, from: start), let found = wanted(bytes[start...end]) { return found }
        }
        return fallback
    }

    /// The contents of each ```` ``` ```` fenced block, without the opening line's language tag.
    private static func fencedBlocks(in bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        let fence: [UInt8] = Array("```".utf8)
        var blocks: [ArraySlice<UInt8>] = []
        var position = 0
        while let open = find(fence, in: bytes, from: position) {
            var start = open + fence.count
            while start < bytes.count, bytes[start] == UInt8(ascii: "`") { start += 1 }
            // Skip the info string (e.g. `json`) up to the end of the opening line.
            if let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")),
                !bytes[start..<newline].contains(UInt8(ascii: "{"))
            {
                start = newline + 1
            }
            guard let close = find(fence, in: bytes, from: start) else {
                blocks.append(bytes[start...])
                break
            }
            blocks.append(bytes[start..<close])
            position = close + fence.count
        }
        return blocks
    }

    /// The index of the `}` closing the `{` at `start`, skipping braces inside JSON strings.
    private static func matchingBrace(in bytes: [UInt8], from start: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for index in start..<bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index..<index + needle.count].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
