/// A scanner over `.env` text, one entry at a time. It works on Unicode scalars, not Characters,
/// because `\r\n` is a single Character and would hide the line break.
struct DotEnvScanner {
    private let characters: [Unicode.Scalar]
    private var position = 0
    private var line = 1

    init(_ contents: String) {
        self.characters = Array(contents.unicodeScalars)
    }

    private var current: Unicode.Scalar? { position < characters.count ? characters[position] : nil }

    private mutating func advance() {
        if characters[position] == "\n" { line += 1 }
        position += 1
    }

    private mutating func skipBlanks() {
        while let character = current, character == " " || character == "\t" { advance() }
    }

    private mutating func skipRestOfLine() {
        while let character = current, character != "\n" { advance() }
        if current == "\n" { advance() }
    }

    private static func isKeyCharacter(_ character: Unicode.Scalar) -> Bool {
        switch character {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "-": return true
        default: return false
        }
    }

    /// The next `(key, value)`, or `nil` at the end of the text.
    mutating func nextEntry() throws(DotEnvError) -> (String, String)? {
        while current != nil {
            skipBlanks()
            guard let first = current else { return nil }
            if first == "\n" || first == "\r" || first == "#" {
                skipRestOfLine()
                continue
            }
            let entryLine = line
            var key = readKey()
            if key == "export", current == " " || current == "\t" {
                skipBlanks()
                key = readKey()
            }
            guard !key.isEmpty else { throw DotEnvError(line: entryLine, reason: "expected KEY=VALUE") }
            skipBlanks()
            guard current == "=" else {
                if current == nil || current == "\n" || current == "\r" || current == "#" {
                    skipRestOfLine()  // a bare key: python-dotenv ignores it
                    continue
                }
                throw DotEnvError(line: entryLine, reason: "invalid character in key or missing '='")
            }
            advance()
            skipBlanks()
            return (key, try readValue())
        }
        return nil
    }

    private mutating func readKey() -> String {
        var key = ""
        while let character = current, Self.isKeyCharacter(character) {
            key.unicodeScalars.append(character)
            advance()
        }
        return key
    }

    private mutating func readValue() throws(DotEnvError) -> String {
        let startLine = line
        switch current {
        case "'", "\"":
            let quote = current!
            advance()
            var value = ""
            while true {
                guard let character = current else {
                    let kind = quote == "'" ? "single" : "double"
                    throw DotEnvError(line: startLine, reason: "unterminated \(kind)-quoted value")
                }
                advance()
                if character == quote { break }
                if character == "\\", let escaped = current {
                    if let replacement = Self.unescape(escaped, in: quote) {
                        value.unicodeScalars.append(replacement)
                        advance()
                        continue
                    }
                }
                value.unicodeScalars.append(character)
            }
            skipBlanks()
            guard current == nil || current == "\n" || current == "\r" || current == "#" else {
                throw DotEnvError(line: line, reason: "unexpected text after a quoted value")
            }
            skipRestOfLine()
            return value
        default:
            var value = ""
            while let character = current, character != "\n", character != "\r" {
                // An inline comment starts at a '#' preceded by whitespace.
                if character == "#", value.last == " " || value.last == "\t" { break }
                value.unicodeScalars.append(character)
                advance()
            }
            skipRestOfLine()
            return value.trimmingWhitespace()
        }
    }

    private static func unescape(_ character: Unicode.Scalar, in quote: Unicode.Scalar) -> Unicode.Scalar? {
        if quote == "'" {
            return character == "'" || character == "\\" ? character : nil
        }
        switch character {
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "\"", "\\", "'": return character
        default: return nil
        }
    }
}
