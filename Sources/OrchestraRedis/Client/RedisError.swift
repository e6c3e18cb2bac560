/// An error of the Redis client. Its description never contains a password or a connection URL.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: Sendable, Hashable {
            case connectionRefused, connectionFailed, timeout, serverError, protocolError, closed, invalidConfiguration
            case unexpectedReply
            case crossSlot, tooManyRedirections, notRoutable, notReplicated
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
        /// A reply of a type or shape the caller did not expect (a bug, or data that is not ours).
        public static let unexpectedReply = Code(.unexpectedReply)
        /// Redis Cluster: the keys of one command hash to different slots. Refused by the client
        /// without being sent; give the keys one `{hash tag}`.
        public static let crossSlot = Code(.crossSlot)
        /// Redis Cluster: a command was redirected (`MOVED`/`ASK`) more often than
        /// ``RedisConfiguration/maximumRedirections`` allows (the cluster keeps changing, or disagrees).
        public static let tooManyRedirections = Code(.tooManyRedirections)
        /// Redis Cluster: the request cannot be routed to one node (a dedicated connection without a
        /// routing key, a command for every master inside a pipeline). Refused without being sent.
        public static let notRoutable = Code(.notRoutable)
        /// A write was followed by `WAIT` (``ReplicaAcknowledgement``) and fewer replicas than asked
        /// for confirmed it in time. The write was done on the master; a failover could lose it.
        public static let notReplicated = Code(.notReplicated)

        public var description: String {
            switch base {
            case .connectionRefused: "connection refused"
            case .connectionFailed: "connection failed"
            case .timeout: "timeout"
            case .serverError: "server error"
            case .protocolError: "protocol error"
            case .closed: "closed"
            case .invalidConfiguration: "invalid configuration"
            case .unexpectedReply: "unexpected reply"
            case .crossSlot: "cross-slot keys"
            case .tooManyRedirections: "too many cluster redirections"
            case .notRoutable: "not routable in cluster mode"
            case .notReplicated: "not confirmed by enough replicas"
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

    /// Server errors that mean "not now" and that the server did not execute the command for:
    /// the dataset is loading, a script is busy, the master or the cluster is down, a slot is
    /// being migrated. Retrying the same command a little later is safe.
    public static let transientServerErrors: Set<Substring> = ["LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"]

    /// Whether the server refused the command for now (see ``transientServerErrors``).
    public var isTransientServerError: Bool {
        serverErrorPrefix.map(Self.transientServerErrors.contains) ?? false
    }

    /// Whether the same command may succeed if tried again later: no connection, a lost
    /// connection, a timeout, a transient server error, or a cluster that kept redirecting.
    /// A caller that retries must make sure the command is safe to repeat (reads, fenced writes).
    public var isTransient: Bool {
        switch code.base {
        case .connectionRefused, .connectionFailed, .timeout, .tooManyRedirections: true
        case .serverError: isTransientServerError
        default: false
        }
    }

    public var description: String { "Redis \(code): \(message)" }
}
