extension JSONParser {
    /// Powers of ten that `Double` holds exactly.
    private static let exactPowersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { power, _ in power * 10 }
    }

    /// Reads a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    ///
    /// As in Python's `json`, a `.` or `e` not followed by digits ends the number there (and the
    /// next step reports the stray character). Integers that fit `Int64` become ``JSONValue/int(_:)``
    /// (`-0` is `0`, as in Python); all else becomes a ``JSONValue/double(_:)``, and magnitudes
    /// beyond `Double` (such as `1e400`) are an error rather than infinity, which JSON cannot write.
    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var index = position
        let negative = input[index] == 0x2D  // "-"
        if negative { index += 1 }
        guard index < input.count, input[index] &- 0x30 < 10 else { throw JSONParseError(.expectingValue, at: start) }

        // Significant digits, up to 19 of them, as an integer; `dropped` counts the integer digits
        // beyond those, `fractionDigits` the digits after the point that were kept.
        var significand: UInt64 = 0
        var significantDigits = 0
        var dropped = 0
        var fractionDigits = 0

        if input[index] == 0x30 {  // a lone "0"
            index += 1
        } else {
            while index < input.count, input[index] &- 0x30 < 10 {
                if significantDigits < 19 {
                    significand = significand * 10 + UInt64(input[index] &- 0x30)
                    significantDigits += 1
                } else {
                    dropped += 1
                }
                index += 1
            }
        }
        var isInteger = true
        if index + 1 < input.count, input[index] == 0x2E, input[index + 1] &- 0x30 < 10 {  // "." and a digit
            isInteger = false
            index += 1
            while index < input.count, input[index] &- 0x30 < 10 {
                let digit = input[index] &- 0x30
                if significantDigits < 19 {
                    // Leading zeros of the fraction are not significant but do scale it.
                    if significand != 0 || digit != 0 { significantDigits += 1 }
                    significand = significand * 10 + UInt64(digit)
                    fractionDigits += 1
                }
                index += 1
            }
        }
        var exponent = 0
        if index < input.count, input[index] | 0x20 == 0x65 {  // "e" or "E"
            var digit = index + 1
            var exponentNegative = false
            if digit < input.count, input[digit] == 0x2B || input[digit] == 0x2D {  // "+" or "-"
                exponentNegative = input[digit] == 0x2D
                digit += 1
            }
            if digit < input.count, input[digit] &- 0x30 < 10 {
                isInteger = false
                index = digit
                while index < input.count, input[index] &- 0x30 < 10 {
                    // Clamped: anything this large is out of range or zero anyway.
                    if exponent < 100_000 { exponent = exponent * 10 + Int(input[index] &- 0x30) }
                    index += 1
                }
                if exponentNegative { exponent = -exponent }
            }
        }
        position = index

        if isInteger, dropped == 0, significantDigits < 19 || significand <= UInt64(Int64.max) + (negative ? 1 : 0) {
            return .int(negative ? Int64(truncatingIfNeeded: 0 &- significand) : Int64(significand))
        }
        // Exact when the significand and the power of ten are both exact doubles (Clinger's fast path).
        let scale = exponent + dropped - fractionDigits
        if significand <= 1 << 53, (-22...22).contains(scale) {
            var magnitude = Double(significand)
            magnitude = scale < 0 ? magnitude / Self.exactPowersOfTen[-scale] : magnitude * Self.exactPowersOfTen[scale]
            return .double(negative ? -magnitude : magnitude)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<index]), as: UTF8.self)
        guard let number = Double(text), number.isFinite else { throw JSONParseError(.numberOutOfRange, at: start) }
        return .double(number)
    }

}
