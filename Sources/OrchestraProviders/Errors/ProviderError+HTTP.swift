import NIOHTTP1

extension ProviderError {
    /// Maps a provider's non-2xx answer to an error.
    ///
    /// - Parameters:
    ///   - status: the HTTP status (not 2xx).
    ///   - headers: the response headers (`Retry-After`, `retry-after-ms`).
    ///   - providerMessage: the message extracted from the provider's error body, if any.
    ///   - now: seconds since 1970, for `Retry-After` given as an HTTP-date.
    init(status: Int, headers: HTTPHeaders, providerMessage: String?, provider: String, secrets: [String], now: Double) {
        let code = Code(status: status)
        var retryAfter: Duration?
        if status == 429 || status == 503 {
            retryAfter = RetryAfter.parse(
                retryAfter: headers.first(name: "retry-after"),
                retryAfterMilliseconds: headers.first(name: "retry-after-ms"),
                now: now
            )
        }
        let message = providerMessage ?? (code == .malformedResponse ? "unexpected HTTP status" : nil)
        self.init(code, provider: provider, status: status, retryAfter: retryAfter, message: message, redacting: secrets)
    }

    /// An error event in the middle of a 2xx stream, classified like the HTTP status its type
    /// stands for (`equivalentStatus`: 429 for a rate limit, 529 for "overloaded", …). The error
    /// keeps no status: the HTTP exchange itself succeeded.
    init(streamError providerMessage: String?, equivalentStatus: Int, provider: String, secrets: [String]) {
        let message = "error in the stream: " + (providerMessage ?? "no message")
        self.init(Code(status: equivalentStatus), provider: provider, message: message, redacting: secrets)
    }
}

extension ProviderError.Code {
    /// The kind of failure an HTTP status (not 2xx) reports.
    init(status: Int) {
        switch status {
        case 429: self = .rateLimited
        case 408: self = .timeout
        case 409: self = .conflict
        case 401, 403: self = .authentication
        case 400..<500: self = .invalidRequest
        case 500..<600: self = .serverError
        default: self = .malformedResponse
        }
    }
}
