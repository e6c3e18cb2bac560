import Hummingbird
import HummingbirdCore
import OrchestraAPI
import OrchestraScheduler

/// Reads and checks query parameters, collecting problems as FastAPI would report them
/// (`loc: ["query", <name>]`, pydantic v2 messages and types). A repeated parameter's last value wins.
struct QueryReader {
    private let parameters: [Substring: Substring]
    /// Every problem found so far.
    private(set) var issues: [ValidationIssue] = []

    init(_ uri: URI) {
        var parameters: [Substring: Substring] = [:]
        for (key, value) in uri.queryParameters { parameters[key] = value }
        self.parameters = parameters
    }

    /// Throws a 422 listing every problem found, if any.
    func check() throws(GatewayError) {
        if !issues.isEmpty { throw GatewayError.validation(issues) }
    }

    /// A string parameter; empty counts as absent.
    func string(_ name: String) -> String? {
        guard let value = parameters[Substring(name)], !value.isEmpty else { return nil }
        return String(value)
    }

    /// One of `allowed`'s raw values, or `nil` when absent or empty; anything else is a
    /// `literal_error` listing the allowed values.
    mutating func oneOf<Value: RawRepresentable & CaseIterable>(_ name: String, _: Value.Type) -> Value?
    where Value.RawValue == String {
        guard let text = string(name) else { return nil }
        if let value = Value(rawValue: text) { return value }
        let expected = ValidationIssue.expectedList(Value.allCases.map(\.rawValue))
        issues.append(.literalError(["query", .key(name)], expected: expected, input: .string(text)))
        return nil
    }

    /// An integer within `range`, `defaultValue` when absent.
    mutating func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) -> Int {
        guard let raw = parameters[Substring(name)] else { return defaultValue }
        let loc: [LocElement] = ["query", .key(name)]
        let input = JSONValue.string(String(raw))
        guard let value = Int(raw.trimmedSpaces()) else {
            issues.append(
                ValidationIssue(
                    loc: loc, msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing",
                    input: input))
            return defaultValue
        }
        if value < range.lowerBound {
            issues.append(
                ValidationIssue(
                    loc: loc, msg: "Input should be greater than or equal to \(range.lowerBound)", type: "greater_than_equal", input: input,
                    ctx: ["ge": .int(Int64(range.lowerBound))]))
            return defaultValue
        }
        if value > range.upperBound {
            issues.append(
                ValidationIssue(
                    loc: loc, msg: "Input should be less than or equal to \(range.upperBound)", type: "less_than_equal", input: input,
                    ctx: ["le": .int(Int64(range.upperBound))]))
            return defaultValue
        }
        return value
    }

    /// A listing cursor (`X-Next-Cursor` of a previous page), or `nil` when absent.
    mutating func cursor(_ name: String) -> ListCursor? {
        guard let text = string(name) else { return nil }
        if let cursor = ListCursor(text), IdentifierSyntax.isValid(cursor.id) { return cursor }
        issues.append(
            ValidationIssue(loc: ["query", .key(name)], msg: "Value error, not a cursor returned by this API", type: "value_error"))
        return nil
    }

    /// A number of seconds in `(0, upperBound]`, or `nil` when absent.
    mutating func positiveSeconds(_ name: String, atMost upperBound: Double) -> Double? {
        guard let raw = parameters[Substring(name)] else { return nil }
        let loc: [LocElement] = ["query", .key(name)]
        let input = JSONValue.string(String(raw))
        guard let value = Double(raw.trimmedSpaces()), value.isFinite else {
            issues.append(
                ValidationIssue(
                    loc: loc, msg: "Input should be a valid number, unable to parse string as a number", type: "float_parsing", input: input
                ))
            return nil
        }
        if value <= 0 {
            issues.append(
                ValidationIssue(loc: loc, msg: "Input should be greater than 0", type: "greater_than", input: input, ctx: ["gt": 0.0]))
            return nil
        }
        if value > upperBound {
            let bound = upperBound.rounded() == upperBound ? String(Int(upperBound)) : String(upperBound)
            issues.append(
                ValidationIssue(
                    loc: loc, msg: "Input should be less than or equal to \(bound)", type: "less_than_equal", input: input,
                    ctx: ["le": .double(upperBound)]))
            return nil
        }
        return value
    }
}

extension Substring {
    /// Without leading and trailing spaces.
    fileprivate func trimmedSpaces() -> Substring {
        var text = self
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }
}
