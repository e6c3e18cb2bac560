/// An error of the Redis client. Its description never contains a password or a connection URL.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: Sendable, Hashable {
            case connectionRefused, connectionFailed, timeout, serverError, protocolError, closed, invalidConfiguration
        }
        let base: Base
        init(_ base: Base) { self.base = base }

        /// Nothing listens at the server's address (or the host could not be reached).
        public static let connectionRefused = Code(.connectionRefused)
        /// An I/O error, a failed handshake (`AUTH`, `SELECT`) or a lost connection.
        public static let connectionFailed = Code(.connectionFailed)
        /// No reply (or no connection) within the configured timeout.
        public static let timeout = Code(.timeout)
        /// The server answered with an error reply; ``RedisError/message`` is its text.
        public static let serverError = Code(.serverError)
        /// The server sent bytes that are not valid RESP.
        public static let protocolError = Code(.protocolError)
        /// The client or the connection was closed.
        public static let closed = Code(.closed)
        /// `REDIS_URL` or another setting is invalid.
        public static let invalidConfiguration = Code(.invalidConfiguration)

        public var description: String {
            switch base {
            case .connectionRefused: "connection refused"
            case .connectionFailed: "connection failed"
            case .timeout: "timeout"
            case .serverError: "server error"
            case .protocolError: "protocol error"
            case .closed: "closed"
            case .invalidConfiguration: "invalid configuration"
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// Details: the server's error text for ``Code/serverError``, otherwise what failed and where.
    public let message: String

    /// An error with a code and a message that must not contain secrets.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// For a server error, its first word (`NOSCRIPT`, `WRONGTYPE`, `ERR`, …).
    public var serverErrorPrefix: Substring? {
        code == .serverError ? message.prefix(while: { $0 != " " }) : nil
    }

    public var description: String { "Redis \(code): \(message)" }
}
