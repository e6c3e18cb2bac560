public import OrchestraAPI

/// A pattern could not be instantiated: it does not exist (the gateway answers 404), or its
/// parameters or the resulting request are invalid (422, with ``issues`` as the `detail` list;
/// a parameter's issue has `loc` `["body", "<parameter>"]`).
public struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: Hashable, Sendable {
        case unknownPattern(String)
        case invalid([ValidationIssue])
    }

    let code: Code

    init(_ code: Code) {
        self.code = code
    }

    /// Whether no pattern has the requested name.
    public var isUnknownPattern: Bool {
        if case .unknownPattern = code { return true }
        return false
    }

    /// The problems found, in parameter order (empty for an unknown pattern).
    public var issues: [ValidationIssue] {
        if case .invalid(let issues) = code { return issues }
        return []
    }

    /// The name of the first parameter at fault, when the problem is a parameter's.
    public var parameter: String? {
        guard let loc = issues.first?.loc, loc.count == 2, case .key(let name) = loc[1] else { return nil }
        return name
    }

    /// The 422 response body for an invalid instantiation.
    public var response: ValidationErrorResponse { ValidationErrorResponse(detail: issues) }

    /// `unknown pattern 'x' (known: …)`, or one `loc: msg (type)` per issue.
    public var description: String {
        switch code {
        case .unknownPattern(let name):
            let shown = name.count > 100 ? String(name.prefix(100)) + "…" : name
            return "unknown pattern '\(shown)' (known: \(WorkflowPatterns.all.map(\.name).joined(separator: ", ")))"
        case .invalid(let issues):
            return "invalid pattern parameters: " + issues.map(\.description).joined(separator: "; ")
        }
    }
}
