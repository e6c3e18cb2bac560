extension JSONValue {
    /// Compact JSON text (no insignificant whitespace), object members in insertion order.
    ///
    /// Strings escape `"`, `\` and control characters only (`\n`, `\t`, … or `\u00XX`); `/` and
    /// non-ASCII characters are written as-is. Doubles are written in their shortest round-tripping
    /// form, always with a `.` or an exponent (`2.0`, `1e+16`), so they read back as doubles.
    public var compactJSONString: String {
        String(decoding: compactJSONBytes, as: UTF8.self)
    }

    /// ``compactJSONString`` as UTF-8 bytes.
    public var compactJSONBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        write(into: &bytes)
        return bytes
    }

    /// The size in bytes of ``compactJSONString``, counted without building it.
    public var compactJSONByteCount: Int {
        switch self {
        case .null: return 4
        case .bool(let flag): return flag ? 4 : 5
        case .int(let number): return Self.decimalDigitCount(number.magnitude) + (number < 0 ? 1 : 0)
        case .double(let number): return number.isFinite ? number.description.utf8.count : 4
        case .string(let text): return Self.escapedByteCount(text)
        case .array(let elements):
            return elements.reduce(max(2, elements.count + 1)) { $0 + $1.compactJSONByteCount }
        case .object(let object):
            // Braces, a colon per member and the commas between members.
            return object.reduce(max(2, 2 * object.count + 1)) { total, member in
                total + Self.escapedByteCount(member.key) + member.value.compactJSONByteCount
            }
        }
    }

    /// Appends the value as compact JSON (see ``compactJSONString``) to `bytes`.
    public func write(into bytes: inout [UInt8]) {
        switch self {
        case .null:
            bytes.append(contentsOf: "null".utf8)
        case .bool(let flag):
            bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number):
            Self.writeInteger(number, into: &bytes)
        case .double(let number):
            // Non-finite numbers cannot come from JSON; write null rather than invalid text.
            bytes.append(contentsOf: (number.isFinite ? number.description : "null").utf8)
        case .string(let text):
            Self.writeString(text, into: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                element.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (offset, member) in object.enumerated() {
                if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `text` to `bytes` as one JSON string literal, quotes included, escaped as
    /// ``compactJSONString`` does. For writing JSON by hand without building a ``JSONValue``.
    public static func writeString(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices where needsEscape(utf8[index]) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(utf8[index], to: &bytes)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `number` in decimal to `bytes`.
    public static func writeInteger(_ number: Int64, into bytes: inout [UInt8]) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        let digits = decimalDigitCount(magnitude)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var position = start + digits - 1
        while magnitude > 0 {
            bytes[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            position -= 1
        }
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendEscape(_ byte: UInt8, to bytes: inout [UInt8]) {
        let short: UInt8
        switch byte {
        case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        default:
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0F)])
            return
        }
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(short)
    }

    /// The size of `text` as a JSON string literal, quotes included.
    private static func escapedByteCount(_ text: String) -> Int {
        var count = 2
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09, 0x08, 0x0C: count += 2
            case 0x00..<0x20: count += 6
            default: count += 1
            }
        }
        return count
    }

    private static func decimalDigitCount(_ magnitude: UInt64) -> Int {
        var digits = 1
        var rest = magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return digits
    }
}
