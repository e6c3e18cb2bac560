/// Checks of single JSON values against the field types of the request models, producing
/// pydantic v2's messages, error types, `input` and `ctx`.
public enum FieldCheck {
    public static func string(_ value: JSONValue, at loc: [LocElement], into issues: inout [ValidationIssue]) -> String? {
        guard let text = value.stringValue else {
            issues.append(.stringType(loc, input: value))
            return nil
        }
        return text
    }

    /// A string of `length` characters (Unicode scalars, as Python counts them).
    public static func string(
        _ value: JSONValue,
        length: ClosedRange<Int>,
        at loc: [LocElement],
        into issues: inout [ValidationIssue]
    ) -> String? {
        guard let text = string(value, at: loc, into: &issues) else { return nil }
        let count = text.unicodeScalars.count
        if count < length.lowerBound {
            let noun = length.lowerBound == 1 ? "character" : "characters"
            issues.append(
                ValidationIssue(
                    loc: loc, msg: "String should have at least \(length.lowerBound) \(noun)", type: "string_too_short", input: value,
                    ctx: ["min_length": .int(Int64(length.lowerBound))]))
            return nil
        }
        if count > length.upperBound {
            issues.append(
                ValidationIssue(
                    loc: loc, msg: "String should have at most \(length.upperBound) characters", type: "string_too_long", input: value,
                    ctx: ["max_length": .int(Int64(length.upperBound))]))
            return nil
        }
        return text
    }

    public static func identifier(_ value: JSONValue, at loc: [LocElement], into issues: inout [ValidationIssue]) -> String? {
        guard let text = string(value, length: 1...IdentifierSyntax.maxLength, at: loc, into: &issues) else { return nil }
        guard text.utf8.allSatisfy(IdentifierSyntax.isAllowed) else {
            issues.append(.patternMismatch(loc, pattern: IdentifierSyntax.pattern, input: value))
            return nil
        }
        return text
    }

    /// A JSON boolean (strict: `0`, `1` and strings such as `"true"` are rejected).
    public static func bool(_ value: JSONValue, at loc: [LocElement], into issues: inout [ValidationIssue]) -> Bool? {
        guard let flag = value.boolValue else {
            issues.append(ValidationIssue(loc: loc, msg: "Input should be a valid boolean", type: "bool_type", input: value))
            return nil
        }
        return flag
    }

    static func workflowType(_ value: JSONValue, at loc: [LocElement], into issues: inout [ValidationIssue]) -> WorkflowType? {
        guard let type = value.stringValue.flatMap(WorkflowType.init(rawValue:)) else {
            let expected = ValidationIssue.expectedList(WorkflowType.allCases.map(\.rawValue))
            issues.append(.literalError(loc, expected: expected, input: value))
            return nil
        }
        return type
    }

    /// A number within `range`; `lowerExclusive` makes the lower bound strict. The bounds are
    /// floats, as in pydantic's `ctx` for a `float` field (`{"le": 2.0}`).
    public static func number(
        _ value: JSONValue,
        in range: ClosedRange<Double>,
        lowerExclusive: Bool = false,
        at loc: [LocElement],
        into issues: inout [ValidationIssue]
    ) -> Double? {
        guard let number = value.doubleValue else {
            issues.append(ValidationIssue(loc: loc, msg: "Input should be a valid number", type: "float_type", input: value))
            return nil
        }
        let bounds = Bounds(range: range, lowerExclusive: lowerExclusive, bound: { .double($0) })
        return bounds.check(number, input: value, at: loc, into: &issues)
    }

    /// An integer within `range`; integral floats such as `5.0` are accepted, as pydantic does.
    public static func integer(_ value: JSONValue, in range: ClosedRange<Int>, at loc: [LocElement], into issues: inout [ValidationIssue])
        -> Int?
    {
        guard let number = value.doubleValue else {
            issues.append(ValidationIssue(loc: loc, msg: "Input should be a valid integer", type: "int_type", input: value))
            return nil
        }
        guard number.rounded(.towardZero) == number else {
            issues.append(
                ValidationIssue(
                    loc: loc, msg: "Input should be a valid integer, got a number with a fractional part", type: "int_from_float",
                    input: value))
            return nil
        }
        let bounds = Bounds(range: Double(range.lowerBound)...Double(range.upperBound), bound: { .int(Int64($0)) })
        guard bounds.check(number, input: value, at: loc, into: &issues) != nil else { return nil }
        return Int(exactly: number)
    }

    /// Range checks with pydantic's `greater_than`, `greater_than_equal` and `less_than_equal` issues.
    struct Bounds {
        var range: ClosedRange<Double>
        var lowerExclusive = false
        /// A bound as it appears in `ctx`: a float for a float field, an integer for an int field.
        var bound: (Double) -> JSONValue

        func check(_ number: Double, input: JSONValue, at loc: [LocElement], into issues: inout [ValidationIssue]) -> Double? {
            let lower = range.lowerBound
            if lowerExclusive, number <= lower {
                issues.append(
                    ValidationIssue(
                        loc: loc, msg: "Input should be greater than \(Self.format(lower))", type: "greater_than", input: input,
                        ctx: ["gt": bound(lower)]))
                return nil
            }
            if number < lower {
                issues.append(
                    ValidationIssue(
                        loc: loc, msg: "Input should be greater than or equal to \(Self.format(lower))", type: "greater_than_equal",
                        input: input, ctx: ["ge": bound(lower)]))
                return nil
            }
            if number > range.upperBound {
                issues.append(
                    ValidationIssue(
                        loc: loc, msg: "Input should be less than or equal to \(Self.format(range.upperBound))", type: "less_than_equal",
                        input: input, ctx: ["le": bound(range.upperBound)]))
                return nil
            }
            return number
        }

        /// `2` rather than `2.0` for integral bounds, as pydantic writes them in messages.
        static func format(_ bound: Double) -> String {
            if let integer = Int64(exactly: bound) { return String(integer) }
            return String(bound)
        }
    }
}

extension ValidationIssue {
    public static func patternMismatch(_ loc: [LocElement], pattern: String, input: JSONValue) -> ValidationIssue {
        ValidationIssue(
            loc: loc, msg: "String should match pattern '\(pattern)'", type: "string_pattern_mismatch", input: input,
            ctx: ["pattern": .string(pattern)])
    }
}
