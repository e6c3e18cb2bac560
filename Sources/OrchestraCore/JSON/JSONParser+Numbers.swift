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
        let negative = input[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < input.count, isDigit(input[index]) else { throw JSONParseError(.expectingValue, at: start) }

        // Significant digits, up to 19 of them, as an integer; `dropped` counts the integer digits
        // beyond those, `fractionDigits` the digits after the point that were kept.
        var significand: UInt64 = 0
        var significantDigits = 0
        var dropped = 0
        var fractionDigits = 0
        func accumulate(_ byte: UInt8, fraction: Bool) {
            if significantDigits < 19 {
                if significand != 0 || byte != UInt8(ascii: "0") { significantDigits += 1 }
                significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
                if fraction { fractionDigits += 1 }
            } else if !fraction {
                dropped += 1
            }
        }

        if input[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < input.count, isDigit(input[index]) {
                accumulate(input[index], fraction: false)
                index += 1
            }
        }
        var isInteger = true
        if index + 1 < input.count, input[index] == UInt8(ascii: "."), isDigit(input[index + 1]) {
            isInteger = false
            index += 1
            while index < input.count, isDigit(input[index]) {
                accumulate(input[index], fraction: true)
                index += 1
            }
        }
        var exponent = 0
        if index < input.count, input[index] | 0x20 == UInt8(ascii: "e") {
            var digit = index + 1
            var exponentNegative = false
            if digit < input.count, input[digit] == UInt8(ascii: "+") || input[digit] == UInt8(ascii: "-") {
                exponentNegative = input[digit] == UInt8(ascii: "-")
                digit += 1
            }
            if digit < input.count, isDigit(input[digit]) {
                isInteger = false
                index = digit
                while index < input.count, isDigit(input[index]) {
                    // Clamped: anything this large is out of range or zero anyway.
                    if exponent < 100_000 { exponent = exponent * 10 + Int(input[index] - UInt8(ascii: "0")) }
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

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
