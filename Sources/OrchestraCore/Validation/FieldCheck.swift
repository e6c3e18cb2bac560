/// Checks of single JSON values against the field types of the request models, producing
/// pydantic v2 messages and error types.
enum FieldCheck {
    static func string(_ value: JSONValue, at loc: [LocElement], into issues: inout [ValidationIssue]) -> String? {
        guard let text = value.stringValue else {
            issues.append(.stringType(loc))
            return nil
        }
        return text
    }

    /// A string of `length` characters (Unicode scalars, as Python counts them).
    static func string(
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
                ValidationIssue(loc: loc, msg: "String should have at least \(length.lowerBound) \(noun)", type: "string_too_short"))
            return nil
        }
        if count > length.upperBound {
            issues.append(
                ValidationIssue(loc: loc, msg: "String should have at most \(length.upperBound) characters", type: "string_too_long"))
            return nil
        }
        return text
    }

    static func identifier(_ value: JSONValue, at loc: [LocElement], into issues: inout [ValidationIssue]) -> String? {
        guard let text = string(value, length: 1...IdentifierSyntax.maxLength, at: loc, into: &issues) else { return nil }
        guard text.utf8.allSatisfy(IdentifierSyntax.isAllowed) else {
            issues.append(
                ValidationIssue(loc: loc, msg: "String should match pattern '\(IdentifierSyntax.pattern)'", type: "string_pattern_mismatch")
            )
            return nil
        }
        return text
    }

    /// A JSON boolean (strict: `0`, `1` and strings such as `"true"` are rejected).
    static func bool(_ value: JSONValue, at loc: [LocElement], into issues: inout [ValidationIssue]) -> Bool? {
        guard let flag = value.boolValue else {
            issues.append(ValidationIssue(loc: loc, msg: "Input should be a valid boolean", type: "bool_type"))
            return nil
        }
        return flag
    }

    static func workflowType(_ value: JSONValue, at loc: [LocElement], into issues: inout [ValidationIssue]) -> WorkflowType? {
        guard let type = value.stringValue.flatMap(WorkflowType.init(rawValue:)) else {
            issues.append(ValidationIssue(loc: loc, msg: "Input should be 'sequential', 'parallel' or 'graph'", type: "enum"))
            return nil
        }
        return type
    }

    /// A number within `range`; `lowerExclusive` makes the lower bound strict.
    static func number(
        _ value: JSONValue,
        in range: ClosedRange<Double>,
        lowerExclusive: Bool = false,
        at loc: [LocElement],
        into issues: inout [ValidationIssue]
    ) -> Double? {
        guard let number = value.doubleValue else {
            issues.append(ValidationIssue(loc: loc, msg: "Input should be a valid number", type: "float_type"))
            return nil
        }
        return bounded(number, in: range, lowerExclusive: lowerExclusive, at: loc, into: &issues)
    }

    /// An integer within `range`; integral floats such as `5.0` are accepted, as pydantic does.
    static func integer(_ value: JSONValue, in range: ClosedRange<Int>, at loc: [LocElement], into issues: inout [ValidationIssue]) -> Int?
    {
        guard let number = value.doubleValue else {
            issues.append(ValidationIssue(loc: loc, msg: "Input should be a valid integer", type: "int_type"))
            return nil
        }
        guard let integer = value.intValue else {
            issues.append(
                ValidationIssue(
                    loc: loc, msg: "Input should be a valid integer, got a number with a fractional part", type: "int_from_float")
            )
            return nil
        }
        let checkRange = Double(range.lowerBound)...Double(range.upperBound)
        guard bounded(number, in: checkRange, lowerExclusive: false, at: loc, into: &issues) != nil else { return nil }
        return Int(integer)
    }

    private static func bounded(
        _ number: Double,
        in range: ClosedRange<Double>,
        lowerExclusive: Bool,
        at loc: [LocElement],
        into issues: inout [ValidationIssue]
    ) -> Double? {
        if lowerExclusive, number <= range.lowerBound {
            issues.append(ValidationIssue(loc: loc, msg: "Input should be greater than \(format(range.lowerBound))", type: "greater_than"))
            return nil
        }
        if number < range.lowerBound {
            issues.append(
                ValidationIssue(
                    loc: loc, msg: "Input should be greater than or equal to \(format(range.lowerBound))", type: "greater_than_equal")
            )
            return nil
        }
        if number > range.upperBound {
            issues.append(
                ValidationIssue(loc: loc, msg: "Input should be less than or equal to \(format(range.upperBound))", type: "less_than_equal")
            )
            return nil
        }
        return number
    }

    /// `2` rather than `2.0` for integral bounds.
    private static func format(_ bound: Double) -> String {
        if let integer = Int64(exactly: bound) { return String(integer) }
        return String(bound)
    }
}
