/// A failed call to an LLM provider.
///
/// A struct around a private code enum, so codes can be added without breaking callers. The worker
/// decides with ``isRetryable``, ``spendsAttempt`` and ``retryAfter``; it never needs to look at HTTP
/// statuses itself.
///
/// ``description`` carries the provider's name, the HTTP status and the provider's own error message
/// (with the API key redacted), never a key, a prompt or a connection string.
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: Sendable, Hashable {
            case rateLimited, serverError, timeout, connection, conflict
            case invalidRequest, authentication, malformedResponse, notConfigured
        }

        fileprivate let base: Base

        /// HTTP 429: the provider's rate limit. Retried after ``ProviderError/retryAfter``
        /// without spending an attempt.
        public static let rateLimited = Code(base: .rateLimited)
        /// HTTP 5xx (Anthropic's 529 "overloaded" included).
        public static let serverError = Code(base: .serverError)
        /// The request did not finish within its timeout, or the provider answered 408.
        public static let timeout = Code(base: .timeout)
        /// The provider could not be reached or dropped the connection.
        public static let connection = Code(base: .connection)
        /// HTTP 409: the provider reports a conflicting concurrent request.
        public static let conflict = Code(base: .conflict)
        /// Any other 4xx: the provider rejected the request (its message says why).
        public static let invalidRequest = Code(base: .invalidRequest)
        /// HTTP 401 or 403: the key is missing, wrong or lacks permission.
        public static let authentication = Code(base: .authentication)
        /// The provider answered 2xx with a body we could not understand.
        public static let malformedResponse = Code(base: .malformedResponse)
        /// The provider is not set up (missing key or unusable base URL).
        public static let notConfigured = Code(base: .notConfigured)

        /// A stable lowercase name for logs and metrics (`rate_limited`, `server_error`, …).
        public var description: String {
            switch self.base {
            case .rateLimited: "rate_limited"
            case .serverError: "server_error"
            case .timeout: "timeout"
            case .connection: "connection"
            case .conflict: "conflict"
            case .invalidRequest: "invalid_request"
            case .authentication: "authentication"
            case .malformedResponse: "malformed_response"
            case .notConfigured: "not_configured"
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// The provider's name (`openai`, `anthropic`, …).
    public let provider: String
    /// The HTTP status the provider answered with, if it answered.
    public let status: Int?
    /// How long the provider asked us to wait (`Retry-After` on 429 and 503).
    public let retryAfter: Duration?
    /// The provider's error message or our explanation, already free of the API key.
    public let message: String?

    /// Creates an error. Every string in `secrets` (the provider's API key) is replaced by
    /// `[redacted]` in `message` before it is stored.
    public init(
        _ code: Code,
        provider: String,
        status: Int? = nil,
        retryAfter: Duration? = nil,
        message: String? = nil,
        redacting secrets: [String] = []
    ) {
        self.code = code
        self.provider = provider
        self.status = status
        self.retryAfter = retryAfter
        self.message = message.map { Self.bounded(Self.redact($0, secrets: secrets)) }
    }

    /// Whether trying again may succeed: 5xx, 408, 409, 429, timeouts and connection failures.
    /// Other 4xx, authentication failures, malformed bodies and configuration gaps are final.
    public var isRetryable: Bool {
        switch self.code.base {
        case .rateLimited, .serverError, .timeout, .connection, .conflict: true
        case .invalidRequest, .authentication, .malformedResponse, .notConfigured: false
        }
    }

    /// Whether a retry of this failure counts against the task's attempts. A provider's rate limit
    /// does not (DESIGN.md §3.8).
    public var spendsAttempt: Bool {
        self.code != .rateLimited
    }

    /// For example `openai: rate_limited (HTTP 429, retry after 2.0 s): Rate limit reached for gpt-4o`.
    public var description: String {
        var details: [String] = []
        if let status { details.append("HTTP \(status)") }
        if let retryAfter { details.append("retry after \(Self.seconds(retryAfter)) s") }
        var text = "\(self.provider): \(self.code)"
        if !details.isEmpty { text += " (\(details.joined(separator: ", ")))" }
        if let message, !message.isEmpty { text += ": \(message)" }
        return text
    }

    private static func redact(_ message: String, secrets: [String]) -> String {
        var message = message
        for secret in secrets where !secret.isEmpty {
            message = message.replacing(secret, with: "[redacted]")
        }
        return message
    }

    static let maximumMessageLength = 500

    private static func bounded(_ message: String) -> String {
        guard message.count > maximumMessageLength else { return message }
        return String(message.prefix(maximumMessageLength)) + "…"
    }

    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "\(milliseconds / 1000).\((milliseconds % 1000) / 100)"
    }
}
