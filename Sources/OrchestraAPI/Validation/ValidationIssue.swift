/// One problem found in a request, in pydantic v2's shape: where (`loc`), what (`msg`), a
/// machine-readable kind (`type`, e.g. `missing`, `string_type`, `value_error`), the offending
/// value (`input`) and the constraint it broke (`ctx`), the last two where pydantic has them.
public struct ValidationIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Path from the request part (`body`, `query`) to the offending value.
    public var loc: [LocElement]
    /// Human-readable message.
    public var msg: String
    /// pydantic error type.
    public var type: String
    /// The offending value; for `missing`, the object that lacks the field. `nil` when not reported.
    public var input: JSONValue?
    /// The broken constraint, e.g. `{"max_length": 200}`; `nil` when the type has none.
    public var ctx: JSONObject?

    /// Creates an issue.
    public init(loc: [LocElement], msg: String, type: String, input: JSONValue? = nil, ctx: JSONObject? = nil) {
        self.loc = loc
        self.msg = msg
        self.type = type
        self.input = input
        self.ctx = ctx
    }

    /// `body.tasks.2.depends_on: <msg> (<type>)`. Never includes ``input``.
    public var description: String {
        "\(loc.map(\.description).joined(separator: ".")): \(msg) (\(type))"
    }
}

extension ValidationIssue {
    /// FastAPI's issue for a body that is not JSON: `loc` `["body", <byte offset>]`, `input` `{}` and
    /// the reason in `ctx.error`.
    public static func invalidJSON(_ error: JSONParseError) -> ValidationIssue {
        ValidationIssue(
            loc: ["body", .index(error.offset)], msg: "JSON decode error", type: "json_invalid", input: .object([:]),
            ctx: ["error": .string(error.reason)])
    }

    /// A required field is absent from `object`.
    public static func missing(_ loc: [LocElement], in object: JSONObject) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: "Field required", type: "missing", input: .object(object))
    }

    public static func modelType(_ loc: [LocElement], input: JSONValue) -> ValidationIssue {
        ValidationIssue(
            loc: loc, msg: "Input should be a valid dictionary or object to extract fields from", type: "model_attributes_type",
            input: input)
    }

    public static func dictType(_ loc: [LocElement], input: JSONValue) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: "Input should be a valid dictionary", type: "dict_type", input: input)
    }

    public static func listType(_ loc: [LocElement], input: JSONValue) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: "Input should be a valid list", type: "list_type", input: input)
    }

    public static func stringType(_ loc: [LocElement], input: JSONValue) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: "Input should be a valid string", type: "string_type", input: input)
    }

    /// A value outside a fixed set; `expected` lists it as pydantic does: `'a', 'b' or 'c'`.
    public static func literalError(_ loc: [LocElement], expected: String, input: JSONValue) -> ValidationIssue {
        ValidationIssue(
            loc: loc, msg: "Input should be \(expected)", type: "literal_error", input: input, ctx: ["expected": .string(expected)])
    }

    /// pydantic's wording of a list of allowed strings: `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`.
    public static func expectedList(_ values: [String]) -> String {
        let quoted = values.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.joined() }
        return quoted.dropLast().joined(separator: ", ") + " or " + quoted[quoted.count - 1]
    }

    /// A rule of ours that pydantic would check in a validator raising `ValueError(message)`.
    public static func valueError(_ loc: [LocElement], _ message: String, input: JSONValue) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: "Value error, \(message)", type: "value_error", input: input, ctx: ["error": .string(message)])
    }
}
