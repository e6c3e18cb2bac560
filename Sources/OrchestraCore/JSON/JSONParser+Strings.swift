extension JSONParser {
    /// Reads a string starting at its opening quote (at ``position``).
    ///
    /// A string without escapes is made straight from the input; one with escapes is decoded into
    /// ``scratch`` first.
    mutating func parseString() throws(JSONParseError) -> String {
        let quote = position
        var index = try scanPlainRun(from: quote + 1, quote: quote)
        if input[index] == UInt8(ascii: "\"") {
            position = index + 1
            return String(decoding: UnsafeBufferPointer(rebasing: input[(quote + 1)..<index]), as: UTF8.self)
        }
        scratch.removeAll(keepingCapacity: true)
        var runStart = quote + 1
        while true {
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<index]))
            if input[index] == UInt8(ascii: "\"") {
                position = index + 1
                return String(decoding: scratch, as: UTF8.self)
            }
            index = try decodeEscape(at: index, quote: quote)
            runStart = index
            index = try scanPlainRun(from: index, quote: quote)
        }
    }

    /// The index of the next `"` or `\` from `start`, checking the bytes before it: no control
    /// characters, only well-formed UTF-8.
    private func scanPlainRun(from start: Int, quote: Int) throws(JSONParseError) -> Int {
        var index = start
        while true {
            index = skipPlainASCII(from: index)
            guard index < input.count else { break }
            let byte = input[index]
            if byte >= 0x80 {
                index = try endOfUTF8Sequence(at: index)
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return index
            } else if byte < 0x20 {
                throw JSONParseError(.invalidControlCharacter, at: index)
            } else {
                index += 1
            }
        }
        throw JSONParseError(.unterminatedString, at: quote)
    }

    /// The index of the first `"`, `\`, control or non-ASCII byte from `start`, found eight bytes at
    /// a time; `start` itself when fewer than eight bytes are left (the caller looks at those singly).
    @inline(__always)
    private func skipPlainASCII(from start: Int) -> Int {
        guard let base = input.baseAddress else { return start }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index + 8 <= input.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            // `x - ones & ~x` sets the high bit of the lowest zero byte of x (and maybe of bytes above
            // it); x is `word` xor a repeated byte to find that byte. `word - 0x20 * ones & ~word` does
            // the same for the lowest byte below 0x20, and `word` itself flags non-ASCII bytes.
            let quotes = word ^ (0x22 &* ones)
            let backslashes = word ^ (0x5C &* ones)
            let special =
                (((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes) | ((word &- 0x20 &* ones) & ~word) | word)
                & highs
            if special != 0 { return index + special.trailingZeroBitCount / 8 }
            index += 8
        }
        return index
    }

    /// The index after the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
    /// nothing above U+10FFFF) whose first byte is at `index`.
    private func endOfUTF8Sequence(at index: Int) throws(JSONParseError) -> Int {
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < input.count && range.contains(input[index + offset])
        }
        switch input[index] {
        case 0xC2...0xDF:
            if continuation(1) { return index + 2 }
        case 0xE0:
            if continuation(1, 0xA0...0xBF), continuation(2) { return index + 3 }
        case 0xE1...0xEC, 0xEE...0xEF:
            if continuation(1), continuation(2) { return index + 3 }
        case 0xED:
            if continuation(1, 0x80...0x9F), continuation(2) { return index + 3 }
        case 0xF0:
            if continuation(1, 0x90...0xBF), continuation(2), continuation(3) { return index + 4 }
        case 0xF1...0xF3:
            if continuation(1), continuation(2), continuation(3) { return index + 4 }
        case 0xF4:
            if continuation(1, 0x80...0x8F), continuation(2), continuation(3) { return index + 4 }
        default:
            break
        }
        throw JSONParseError(.invalidUTF8, at: index)
    }

    /// Decodes the escape whose backslash is at `index` into ``scratch``; returns the index after it.
    ///
    /// A `\uXXXX` high surrogate followed by a `\uXXXX` low surrogate is one character; any other
    /// surrogate becomes U+FFFD, since Swift strings (like UTF-8) cannot hold a lone one.
    private mutating func decodeEscape(at index: Int, quote: Int) throws(JSONParseError) -> Int {
        guard index + 1 < input.count else { throw JSONParseError(.unterminatedString, at: quote) }
        let simple: UInt8
        switch input[index + 1] {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            // Python reports a bad \u escape at the `u`.
            guard let unit = hexQuad(at: index + 2) else { throw JSONParseError(.invalidUnicodeEscape, at: index + 1) }
            var scalar = Unicode.Scalar(unit)
            var end = index + 6
            if (0xD800...0xDBFF).contains(unit), end + 1 < input.count, input[end] == UInt8(ascii: "\\"),
                input[end + 1] == UInt8(ascii: "u"), let low = hexQuad(at: end + 2), (0xDC00...0xDFFF).contains(low)
            {
                scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
                end += 6
            }
            scratch.append(contentsOf: (scalar ?? "\u{FFFD}").utf8)
            return end
        default:
            throw JSONParseError(.invalidEscape, at: index)
        }
        scratch.append(simple)
        return index + 2
    }

    /// The value of four hexadecimal digits at `index`, or `nil`.
    private func hexQuad(at index: Int) -> UInt16? {
        guard index + 4 <= input.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = input[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
