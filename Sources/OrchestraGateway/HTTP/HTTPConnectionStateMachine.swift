import NIOCore
import OrchestraConfig

/// The request-reading state of one HTTP/1 connection and the deadlines and closes that follow
/// from it. Pure: ``HTTPConnectionGuard`` feeds it the connection's events with the time and
/// carries out what it returns.
///
/// Deadlines cover reading requests, never writing responses:
/// - between requests, once every response is written: the idle timeout from the last response's
///   end (a new connection gets the header timeout from its accept instead);
/// - from the first byte of a request head to its end: the header timeout, a fixed deadline that
///   reads do not extend, so a client trickling a byte a second is cut off;
/// - from the end of the head to the end of the body: the body timeout, until the response starts.
///
/// While the server owes an earlier response (a handler works, a long-poll waits) nothing runs;
/// when it catches up, the request being read gets a full period again.
struct HTTPConnectionStateMachine {
    /// The connection's time limits.
    struct Timeouts: Sendable, Hashable {
        var idle: TimeAmount
        var header: TimeAmount
        var body: TimeAmount
        /// How long a closing connection goes on reading (and discarding) after its last response
        /// before the full close, so that a client still sending reads that response rather than
        /// a reset.
        var linger: TimeAmount

        /// Longest wait between two checks of the connection's deadline: shorter than any period
        /// an event can start, so one timer per connection, re-armed only when it fires, never
        /// checks late.
        var tick: TimeAmount { min(idle, header, body) }
    }

    /// Where the reading of requests stands.
    enum Reading: Hashable {
        /// No byte of the next request seen since the last request's end.
        case betweenRequests
        /// Part of a request head received; the period runs from `since`.
        case head(since: NIODeadline)
        /// The head was received; the body has not ended. The period runs from `since`.
        case body(since: NIODeadline)
        /// No further request is read: the client asked to close, or a request was malformed.
        case stopped
    }

    /// The connection's life.
    enum Phase: Hashable {
        case open
        /// The last response is being written or was; reads are discarded until the client closes
        /// or `lingerUntil` passes.
        case closing(lingerUntil: NIODeadline)
        case closed
    }

    /// What the handler does after an event.
    enum Action: Hashable {
        case none
        /// Write this error as a response, then close (lingering).
        case respondAndClose(HTTPRequestReadError)
        /// Close once the write being made completes (lingering).
        case closeAfterWrite
        /// Close now, writing nothing.
        case closeNow
    }

    let timeouts: Timeouts
    private(set) var phase: Phase = .open
    private(set) var reading: Reading = .betweenRequests
    /// Requests whose head arrived and whose response has not been written to its end.
    private(set) var unanswered = 0
    /// A response head was written and its end not yet.
    private(set) var responding = false
    /// Close once every owed response is written: the client asked (`Connection: close`, HTTP/1.0
    /// without keep-alive), a response ended before its request's body, or a request was malformed.
    private(set) var closeAfterResponses = false
    /// Whether a request head has arrived on this connection.
    private(set) var hasReceivedRequest = false
    /// When the last response ended (or the connection opened).
    private(set) var idleSince: NIODeadline

    init(timeouts: Timeouts, openedAt now: NIODeadline) {
        self.timeouts = timeouts
        self.idleSince = now
    }

    /// Whether the connection waits for the first byte of a request.
    var isBetweenRequests: Bool { phase == .open && reading == .betweenRequests }

    /// Whether a request's body is being read: its head was passed on, its end not yet.
    var isReadingBody: Bool {
        guard phase == .open, case .body = reading else { return false }
        return true
    }

    // MARK: Inbound

    /// A read brought bytes that completed no head, body part or end: between requests, a head
    /// has begun.
    mutating func readBytesWithoutParts(now: NIODeadline) {
        if isBetweenRequests { reading = .head(since: now) }
    }

    /// A request head arrived. Returns whether to pass it on.
    mutating func receivedHead(now: NIODeadline, keepAlive: Bool) -> Bool {
        guard phase == .open, reading != .stopped else { return false }
        unanswered += 1
        hasReceivedRequest = true
        reading = .body(since: now)
        if !keepAlive { closeAfterResponses = true }
        return true
    }

    /// A body part arrived. Returns whether to pass it on.
    func receivedBodyPart() -> Bool {
        guard phase == .open, case .body = reading else { return false }
        return true
    }

    /// A request's end arrived. Returns whether to pass it on.
    mutating func receivedEnd() -> Bool {
        guard phase == .open, case .body = reading else { return false }
        reading = closeAfterResponses ? .stopped : .betweenRequests
        return true
    }

    /// The parser rejected the input. Answers at once when no earlier response is owed and none
    /// has started; otherwise stops reading and closes after the responses owed.
    mutating func parseError(_ error: HTTPRequestReadError, now: NIODeadline) -> Action {
        guard phase == .open else { return .none }
        if canRespond {
            phase = .closing(lingerUntil: now + timeouts.linger)
            return .respondAndClose(error)
        }
        reading = .stopped
        closeAfterResponses = true
        return .none
    }

    /// The client closed its side. A closing connection closes now.
    mutating func inputClosed() -> Action {
        guard case .closing = phase else { return .none }
        phase = .closed
        return .closeNow
    }

    /// The channel closed.
    mutating func closed() {
        phase = .closed
    }

    // MARK: Outbound

    /// A response head is being written. Returns whether it must say `Connection: close`.
    mutating func writingResponseHead() -> Bool {
        responding = true
        if unanswered == 1, case .body = reading {
            // The response comes before its request's body ended: the rest cannot be skipped safely.
            closeAfterResponses = true
        }
        return closeAfterResponses && unanswered <= 1
    }

    /// A response's end is being written.
    mutating func writingResponseEnd(now: NIODeadline) -> Action {
        responding = false
        unanswered = max(0, unanswered - 1)
        if unanswered == 0, closeAfterResponses {
            phase = .closing(lingerUntil: now + timeouts.linger)
            return .closeAfterWrite
        }
        // The server caught up: the client's period for what it is sending starts now.
        switch reading {
        case .betweenRequests where unanswered == 0: idleSince = now
        case .head where unanswered == 0: reading = .head(since: now)
        case .body where unanswered == 1: reading = .body(since: now)
        default: break
        }
        return .none
    }

    // MARK: Time

    /// The deadline running now, if any.
    var deadline: NIODeadline? {
        switch phase {
        case .closing(let lingerUntil): return lingerUntil
        case .closed: return nil
        case .open: break
        }
        switch reading {
        case .betweenRequests where unanswered == 0:
            return idleSince + (hasReceivedRequest ? timeouts.idle : timeouts.header)
        case .head(let since) where unanswered == 0:
            return since + timeouts.header
        case .body(let since) where unanswered == 1 && !responding:
            return since + timeouts.body
        default:
            return nil
        }
    }

    /// The connection's timer fired at `now`.
    mutating func timerFired(now: NIODeadline) -> Action {
        guard let deadline, deadline <= now else { return .none }
        switch (phase, reading) {
        case (.closing, _), (.open, .betweenRequests):
            phase = .closed
            return .closeNow
        case (.open, .head):
            phase = .closing(lingerUntil: now + timeouts.linger)
            return .respondAndClose(.headerTimeout)
        case (.open, .body):
            phase = .closing(lingerUntil: now + timeouts.linger)
            return .respondAndClose(.bodyTimeout)
        case (.open, .stopped), (.closed, _):
            return .none
        }
    }

    /// Whether an error response can be written now: no response has started and none is owed
    /// but the one to the request being read.
    private var canRespond: Bool {
        if responding { return false }
        if case .body = reading { return unanswered == 1 }
        return unanswered == 0
    }
}

extension HTTPConnectionStateMachine.Timeouts {
    /// How long a closing connection reads and discards before closing fully.
    static let lingerTimeout = TimeAmount.seconds(2)

    /// The timeouts `HTTP_IDLE_TIMEOUT_SECONDS`, `HTTP_HEADER_TIMEOUT_SECONDS` and
    /// `HTTP_BODY_TIMEOUT_SECONDS` set.
    init(configuration: OrchestraConfiguration) {
        self.init(
            idle: .nanoseconds(Int64(configuration.httpIdleTimeoutSeconds * 1e9)),
            header: .nanoseconds(Int64(configuration.httpHeaderTimeoutSeconds * 1e9)),
            body: .nanoseconds(Int64(configuration.httpBodyTimeoutSeconds * 1e9)),
            linger: Self.lingerTimeout)
    }
}
