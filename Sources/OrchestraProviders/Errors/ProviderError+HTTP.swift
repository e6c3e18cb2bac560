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
        let code: Code
        switch status {
        case 429: code = .rateLimited
        case 408: code = .timeout
        case 409: code = .conflict
        case 401, 403: code = .authentication
        case 400..<500: code = .invalidRequest
        case 500..<600: code = .serverError
        default: code = .malformedResponse
        }
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
}
