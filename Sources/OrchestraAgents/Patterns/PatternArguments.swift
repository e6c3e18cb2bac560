public import OrchestraAPI

/// The checked parameter values a ``WorkflowPattern`` builds its tasks from.
public struct PatternArguments: Sendable, Hashable {
    /// The given values by parameter name; absent optional parameters have no entry.
    public private(set) var values: JSONObject

    /// Arguments from already checked values.
    public init(values: JSONObject) {
        self.values = values
    }

    /// The text of parameter `name`; empty when it was not given (only optional ones can be absent).
    public subscript(name: String) -> String {
        values[name]?.stringValue ?? ""
    }

    /// The number of parameter `name`, when given.
    public func number(_ name: String) -> Double? {
        values[name]?.doubleValue
    }

    /// Checks `parameters` against `declared`, collecting every problem. Keys not declared are ignored.
    static func check(_ parameters: JSONObject, against declared: [PatternParameter]) throws(PatternError) -> PatternArguments {
        var issues: [ValidationIssue] = []
        var values: JSONObject = [:]
        for parameter in declared {
            let loc: [LocElement] = ["body", .key(parameter.name)]
            guard let value = parameters[parameter.name], !value.isNull else {
                if parameter.isRequired { issues.append(.missing(loc, in: parameters)) }
                continue
            }
            let checked: JSONValue?
            switch parameter.kind {
            case .text(let maxBytes):
                checked = FieldCheck.string(value, at: loc, into: &issues).flatMap { text in
                    if text.allSatisfy(\.isWhitespace) {
                        issues.append(.valueError(loc, "\(parameter.name) must not be blank", input: value))
                        return nil
                    }
                    let size = text.utf8.count
                    if size > maxBytes {
                        issues.append(.valueError(loc, "\(parameter.name) is \(size) bytes; at most \(maxBytes) are allowed", input: value))
                        return nil
                    }
                    return .string(text)
                }
            case .name(let maxLength):
                checked = FieldCheck.string(value, length: 1...maxLength, at: loc, into: &issues).flatMap { text in
                    guard text.unicodeScalars.allSatisfy(Self.isNameCharacter), !text.allSatisfy(\.isWhitespace) else {
                        let pattern = PatternParameter.namePattern(maxLength: maxLength)
                        issues.append(.patternMismatch(loc, pattern: pattern, input: value))
                        return nil
                    }
                    return .string(text)
                }
            case .model:
                checked = FieldCheck.string(value, length: 1...200, at: loc, into: &issues).map(JSONValue.string)
            case .number(let range):
                checked = FieldCheck.number(value, in: range, at: loc, into: &issues).map(JSONValue.double)
            }
            if let checked { values[parameter.name] = checked }
        }
        guard issues.isEmpty else { throw PatternError(.invalid(issues)) }
        return PatternArguments(values: values)
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "+", "#", ".", "_", " ", "-": return true
        default: return false
        }
    }
}
