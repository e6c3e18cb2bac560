import Logging
import Synchronization

/// Counts the gateway's open connections against `HTTP_MAX_CONNECTIONS`. Shared by every event
/// loop: one atomic add when a connection opens and one when it closes.
final class ConnectionLimiter: Sendable {
    /// Most connections open at once.
    let limit: Int
    private let open = Atomic<Int>(0)
    /// Whether the limit was reported since connections were last accepted.
    private let reported = Atomic<Bool>(false)
    private let logger: Logger

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    /// Connections open now.
    var openConnections: Int { open.load(ordering: .relaxed) }

    /// Takes a place for a new connection; `false` when all `limit` are taken.
    func acquire() -> Bool {
        if open.add(1, ordering: .relaxed).newValue <= limit {
            if reported.load(ordering: .relaxed) { reported.store(false, ordering: .relaxed) }
            return true
        }
        open.subtract(1, ordering: .relaxed)
        if !reported.exchange(true, ordering: .relaxed) {
            logger.warning(
                "connection limit reached: closing new connections until some close", metadata: ["HTTP_MAX_CONNECTIONS": "\(limit)"])
        }
        return false
    }

    /// Frees the place of a connection that closed.
    func release() {
        open.subtract(1, ordering: .relaxed)
    }
}
