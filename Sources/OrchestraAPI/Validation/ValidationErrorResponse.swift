/// The body of a 422 response: `{"detail": [{"loc": [...], "msg": "...", "type": "...", ...}, ...]}`.
public struct ValidationErrorResponse: Sendable, Hashable, Codable {
    /// Every issue found, in body order.
    public var detail: [ValidationIssue]

    /// Creates a response body.
    public init(detail: [ValidationIssue]) {
        self.detail = detail
    }
}
