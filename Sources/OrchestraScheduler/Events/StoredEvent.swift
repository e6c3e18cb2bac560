import OrchestraRedis

/// One entry of an event stream (API.md §6) as Redis holds it: the stream id, the event type
/// and its fields, flat text as the scheduling library wrote them.
public struct StoredEvent: Sendable, Hashable {
    /// The stream entry id (`<ms>-<seq>`): strictly increasing within its stream, and its time
    /// part is the server's clock when the event happened.
    public var id: String
    /// `workflow.submitted`, `task.started`, `task.token`, …
    public var type: String
    /// The event's fields besides `type` (`index`, `agent_id`, `worker_id`, `delta`, …).
    public var fields: [String: String]

    /// An event.
    public init(id: String, type: String, fields: [String: String]) {
        self.id = id
        self.type = type
        self.fields = fields
    }

    /// Epoch milliseconds of the event: the time part of its id.
    public var milliseconds: Int64 { Int64(id.prefix { $0 != "-" }) ?? 0 }

    /// Whether this event ends its workflow's stream.
    public var isTerminal: Bool { StoredEvent.terminalTypes.contains(type) }

    /// The four terminal workflow events.
    public static let terminalTypes: Set<String> = ["workflow.completed", "workflow.failed", "workflow.partial", "workflow.cancelled"]

    /// Reads one stream entry (`[id, [field, value, …]]`).
    init(entry: RESPValue) throws(RedisError) {
        let parts = try entry.decodeArray()
        guard parts.count == 2 else { throw RedisError(.unexpectedReply, "a stream entry that is not [id, fields]") }
        id = try parts[0].decodeString()
        var fields = try parts[1].decodeFieldMap()
        type = fields.removeValue(forKey: "type") ?? ""
        self.fields = fields
    }

    /// Reads an `XRANGE` reply.
    static func entries(_ reply: RESPValue) throws(RedisError) -> [StoredEvent] {
        var events: [StoredEvent] = []
        for entry in try reply.decodeArray() { events.append(try StoredEvent(entry: entry)) }
        return events
    }
}

/// Orders stream ids (`<ms>-<seq>`) numerically.
public enum StreamID {
    /// Whether `a` comes before `b`.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        let (am, asq) = parts(a)
        let (bm, bsq) = parts(b)
        return am != bm ? am < bm : asq < bsq
    }

    /// Whether `text` is a stream id (`<ms>-<seq>` or `<ms>`).
    public static func isValid(_ text: String) -> Bool {
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        return (1...2).contains(pieces.count) && pieces.allSatisfy { !$0.isEmpty && $0.count <= 20 && $0.allSatisfy(\.isNumber) }
    }

    private static func parts(_ id: String) -> (UInt64, UInt64) {
        let pieces = id.split(separator: "-", maxSplits: 1)
        return (UInt64(pieces.first ?? "0") ?? 0, pieces.count > 1 ? UInt64(pieces[1]) ?? 0 : 0)
    }
}
