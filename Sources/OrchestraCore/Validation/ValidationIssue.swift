/// One problem found in a request body, in pydantic v2's shape: where (`loc`), what (`msg`) and
/// a machine-readable kind (`type`, e.g. `missing`, `string_type`, `value_error`).
public struct ValidationIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Path from the body to the offending value, starting with `"body"`.
    public var loc: [LocElement]
    /// Human-readable message.
    public var msg: String
    /// pydantic error type.
    public var type: String

    /// Creates an issue.
    public init(loc: [LocElement], msg: String, type: String) {
        self.loc = loc
        self.msg = msg
        self.type = type
    }

    /// `body.tasks.2.depends_on: <msg> (<type>)`.
    public var description: String {
        "\(loc.map(\.description).joined(separator: ".")): \(msg) (\(type))"
    }
}

extension ValidationIssue {
    /// The issue for a body that is not JSON at all.
    public static let invalidJSON = ValidationIssue(loc: ["body"], msg: "JSON decode error", type: "json_invalid")

    static func missing(_ loc: [LocElement]) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: "Field required", type: "missing")
    }

    static func modelType(_ loc: [LocElement]) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: "Input should be a valid dictionary or object to extract fields from", type: "model_attributes_type")
    }

    static func dictType(_ loc: [LocElement]) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: "Input should be a valid dictionary", type: "dict_type")
    }

    static func listType(_ loc: [LocElement]) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: "Input should be a valid list", type: "list_type")
    }

    static func stringType(_ loc: [LocElement]) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: "Input should be a valid string", type: "string_type")
    }

    static func valueError(_ loc: [LocElement], _ message: String) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: message, type: "value_error")
    }
}
