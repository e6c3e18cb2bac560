/// A submission was rejected; ``issues`` lists every problem found, not just the first.
public struct WorkflowValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in body order (field checks first, then cross-task checks).
    public var issues: [ValidationIssue]

    /// Creates an error from issues.
    public init(issues: [ValidationIssue]) {
        self.issues = issues
    }

    /// The 422 response body for this error.
    public var response: ValidationErrorResponse { ValidationErrorResponse(detail: issues) }

    /// One line per issue. Contains locations and messages only, never submitted text beyond ids.
    public var description: String {
        "invalid workflow: " + issues.map(\.description).joined(separator: "; ")
    }
}
