import HTTPTypes
import Hummingbird

/// Why the gateway stopped reading a request before its end: a request the HTTP parser rejects,
/// or a client that did not send its head or body in time. ``HTTPConnectionGuard`` answers it
/// (400 or 408, FastAPI's `{"detail": ...}` body) and closes the connection; a route reading the
/// body gets this error instead of a truncated body.
struct HTTPRequestReadError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case malformed(String)
        case headerTimeout
        case bodyTimeout
    }

    private let code: Code

    /// The parser rejected the bytes; `reason` names the parser's error (never request content).
    static func malformed(_ reason: String) -> HTTPRequestReadError { HTTPRequestReadError(code: .malformed(reason)) }
    /// The head was not complete within `HTTP_HEADER_TIMEOUT_SECONDS`.
    static let headerTimeout = HTTPRequestReadError(code: .headerTimeout)
    /// The body was not complete within `HTTP_BODY_TIMEOUT_SECONDS`.
    static let bodyTimeout = HTTPRequestReadError(code: .bodyTimeout)

    /// 400 for a malformed request, 408 for a timeout.
    var status: HTTPResponse.Status {
        switch code {
        case .malformed: .badRequest
        case .headerTimeout, .bodyTimeout: .requestTimeout
        }
    }

    /// The body's `detail`.
    var message: String {
        switch code {
        case .malformed(let reason): "Malformed HTTP request (\(reason))"
        case .headerTimeout: "Request timeout: the request head was not received in time"
        case .bodyTimeout: "Request timeout: the request body was not received in time"
        }
    }

    var description: String { "\(status.code) \(message)" }

    /// The error as the gateway answers it.
    var gatewayError: GatewayError {
        GatewayError(status: status, detail: .message(message), headers: [.connection: "close"])
    }
}
