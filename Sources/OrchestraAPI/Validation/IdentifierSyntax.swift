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

    /// A fresh workflow id: a random UUID v4 in lowercase.
    public static func randomWorkflowId() -> String {
        UUID().uuidString.lowercased()
    }
}
