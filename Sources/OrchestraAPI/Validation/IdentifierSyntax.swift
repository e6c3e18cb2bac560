import Foundation

/// The syntax of `agent_id` and `workflow_id`: 1 to 128 characters of `[A-Za-z0-9._:-]`.
///
/// Ids become parts of Redis keys, so braces (hash tags), spaces, slashes and control
/// characters are excluded.
public enum IdentifierSyntax {
    /// The longest valid id, in characters.
    public static let maxLength = 128

    /// The allowed characters as a regular-expression pattern, as shown in error messages.
    public static let pattern = "^[A-Za-z0-9._:-]+$"

    /// Whether `id` is a valid agent or workflow id.
    public static func isValid(_ id: String) -> Bool {
        let bytes = id.utf8
        return (1...maxLength).contains(bytes.count) && bytes.allSatisfy(isAllowed)
    }

    /// Whether `byte` may appear in an id.
    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: ":"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// A fresh workflow id: a random UUID v4 in lowercase. Written here rather than with
    /// `UUID().uuidString.lowercased()`, which formats each byte with `sprintf` and then copies
    /// the string to lowercase: a measurable share of a `POST /run-graph`.
    public static func randomWorkflowId() -> String {
        var generator = SystemRandomNumberGenerator()
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        high = (high & ~0xF000) | 0x4000  // version 4
        low = (low & ~(0xC000 << 48)) | (0x8000 << 48)  // variant 10xx
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            func put(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    buffer[position] = hex[Int((value >> UInt64(shift)) & 0xF)]
                    position += 1
                }
            }
            func dash() {
                buffer[position] = UInt8(ascii: "-")
                position += 1
            }
            put(high >> 32, nibbles: 8)
            dash()
            put((high >> 16) & 0xFFFF, nibbles: 4)
            dash()
            put(high & 0xFFFF, nibbles: 4)
            dash()
            put(low >> 48, nibbles: 4)
            dash()
            put(low & 0xFFFF_FFFF_FFFF, nibbles: 12)
            return position
        }
    }
}
