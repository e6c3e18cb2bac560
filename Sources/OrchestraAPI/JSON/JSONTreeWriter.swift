/// Where ``JSONTreeWriter`` puts compact JSON: bytes, or just their count.
protocol JSONOutput {
    mutating func append(_ byte: UInt8)
    mutating func append(_ text: StaticString)
    mutating func appendString(_ text: String)
    mutating func appendScalar(_ value: JSONValue)
}

/// Writes a value depth-first: by recursion, which is fastest, for the first ``recursionLimit``
/// levels, and with an explicit stack of open containers below them, so the depth of a value is
/// limited by memory, not by the thread's stack.
enum JSONTreeWriter {
    /// Containers nested deeper than this are written without recursion.
    static let recursionLimit = 64

    static func write(_ value: JSONValue, to output: inout some JSONOutput) {
        write(value, depth: 0, to: &output)
    }

    private static func write(_ value: JSONValue, depth: Int, to output: inout some JSONOutput) {
        switch value {
        case .array(let elements):
            guard depth < recursionLimit else { return writeIteratively(value, to: &output) }
            output.append(UInt8(ascii: "["))
            for index in elements.indices {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(elements[index], depth: depth + 1, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            guard depth < recursionLimit else { return writeIteratively(value, to: &output) }
            output.append(UInt8(ascii: "{"))
            for index in object.indices {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                let member = object[index]
                output.appendString(member.key)
                output.append(UInt8(ascii: ":"))
                write(member.value, depth: depth + 1, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        default:
            output.appendScalar(value)
        }
    }

    private static func writeIteratively(_ root: JSONValue, to output: inout some JSONOutput) {
        // Each open array or object and the position of its next element or member.
        var open: [(container: JSONValue, next: Int)] = []
        var pending: JSONValue? = root
        while true {
            if let value = pending {
                pending = nil
                switch value {
                case .array(let elements):
                    if elements.isEmpty {
                        output.append("[]")
                    } else {
                        output.append(UInt8(ascii: "["))
                        open.append((value, 0))
                    }
                case .object(let object):
                    if object.isEmpty {
                        output.append("{}")
                    } else {
                        output.append(UInt8(ascii: "{"))
                        open.append((value, 0))
                    }
                default:
                    output.appendScalar(value)
                }
            }
            guard let (container, next) = open.last else { return }
            switch container {
            case .array(let elements):
                guard next < elements.count else {
                    output.append(UInt8(ascii: "]"))
                    open.removeLast()
                    continue
                }
                if next > 0 { output.append(UInt8(ascii: ",")) }
                pending = elements[next]
            case .object(let object):
                guard next < object.count else {
                    output.append(UInt8(ascii: "}"))
                    open.removeLast()
                    continue
                }
                if next > 0 { output.append(UInt8(ascii: ",")) }
                let member = object[next]
                output.appendString(member.key)
                output.append(UInt8(ascii: ":"))
                pending = member.value
            default:
                preconditionFailure("only arrays and objects are opened")
            }
            open[open.count - 1].next += 1
        }
    }
}

/// Compact JSON into a byte array.
struct JSONByteSink: JSONOutput {
    var bytes: [UInt8] = []

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func appendString(_ text: String) { JSONValue.writeString(text, into: &bytes) }

    mutating func appendScalar(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): flag ? append("true") : append("false")
        case .int(let number): JSONValue.writeInteger(number, into: &bytes)
        case .double(let number):
            if number.isFinite {
                bytes.append(contentsOf: number.description.utf8)
            } else {
                append("null")
            }
        case .string(let text): appendString(text)
        case .array, .object: preconditionFailure("containers are written by JSONTreeWriter")
        }
    }
}

/// Counts the bytes of compact JSON without producing them.
struct JSONByteCounter: JSONOutput {
    var count = 0

    mutating func append(_ byte: UInt8) { count += 1 }

    mutating func append(_ text: StaticString) { count += text.utf8CodeUnitCount }

    mutating func appendString(_ text: String) {
        count += 2
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09, 0x08, 0x0C: count += 2
            case 0x00..<0x20: count += 6
            default: count += 1
            }
        }
    }

    mutating func appendScalar(_ value: JSONValue) {
        switch value {
        case .null: count += 4
        case .bool(let flag): count += flag ? 4 : 5
        case .int(let number): count += JSONEscaping.decimalDigitCount(number.magnitude) + (number < 0 ? 1 : 0)
        case .double(let number): count += number.isFinite ? number.description.utf8.count : 4
        case .string(let text): appendString(text)
        case .array, .object: preconditionFailure("containers are written by JSONTreeWriter")
        }
    }
}

/// How strings and integers are spelled in JSON.
enum JSONEscaping {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether `byte` must be escaped inside a string: `"`, `\` and control characters.
    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Appends the escape of `byte` (one that ``needsEscape(_:)``): a short form where JSON has one,
    /// `\u00XX` otherwise.
    static func appendEscape(_ byte: UInt8, to bytes: inout [UInt8]) {
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

    static func decimalDigitCount(_ magnitude: UInt64) -> Int {
        var digits = 1
        var rest = magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return digits
    }
}
