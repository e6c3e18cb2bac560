extension JSONParser {
    /// Reads a string starting at its opening quote (at ``position``).
    ///
    /// A string without escapes is made straight from the input; one with escapes is decoded into
    /// a buffer first.
    mutating func parseString() throws(JSONParseError) -> String {
        let quote = position
        var index = try scanPlainRun(from: quote + 1, quote: quote)
        if input[index] == 0x22 {  // the closing quote
            position = index + 1
            return String(decoding: UnsafeBufferPointer(rebasing: input[(quote + 1)..<index]), as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(index - quote + 16)
        var runStart = quote + 1
        while true {
            decoded.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<index]))
            if input[index] == 0x22 {
                position = index + 1
                return String(decoding: decoded, as: UTF8.self)
            }
            index = try decodeEscape(at: index, quote: quote, into: &decoded)
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
            } else if byte == 0x22 || byte == 0x5C {  // `"` or `\`
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

    /// Decodes the escape whose backslash is at `index` into `decoded`; returns the index after it.
    ///
    /// A `\uXXXX` high surrogate followed by a `\uXXXX` low surrogate is one character; any other
    /// surrogate becomes U+FFFD, since Swift strings (like UTF-8) cannot hold a lone one.
    private func decodeEscape(at index: Int, quote: Int, into decoded: inout [UInt8]) throws(JSONParseError) -> Int {
        guard index + 1 < input.count else { throw JSONParseError(.unterminatedString, at: quote) }
        let simple: UInt8
        switch input[index + 1] {
        case 0x22, 0x5C, 0x2F: simple = input[index + 1]  // `"`, `\`, `/` stand for themselves
        case 0x62: simple = 0x08  // "b"
        case 0x66: simple = 0x0C  // "f"
        case 0x6E: simple = 0x0A  // "n"
        case 0x72: simple = 0x0D  // "r"
        case 0x74: simple = 0x09  // "t"
        case 0x75:  // "u"
            // Python reports a bad \u escape at the `u`.
            guard let unit = hexQuad(at: index + 2) else { throw JSONParseError(.invalidUnicodeEscape, at: index + 1) }
            var scalar = Unicode.Scalar(unit)
            var end = index + 6
            if (0xD800...0xDBFF).contains(unit), end + 1 < input.count, input[end] == 0x5C, input[end + 1] == 0x75,
                let low = hexQuad(at: end + 2), (0xDC00...0xDFFF).contains(low)
            {
                scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
                end += 6
            }
            decoded.append(contentsOf: (scalar ?? "\u{FFFD}").utf8)
            return end
        default:
            throw JSONParseError(.invalidEscape, at: index)
        }
        decoded.append(simple)
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
            case 0x30...0x39: digit = byte - 0x30  // "0" to "9"
            case 0x61...0x66: digit = byte - 0x61 + 10  // "a" to "f"
            case 0x41...0x46: digit = byte - 0x41 + 10  // "A" to "F"
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
