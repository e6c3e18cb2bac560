/// One event of a `text/event-stream` (the WHATWG Server-Sent Events format): what a provider
/// streams its answer as, and what the gateway serves live events as.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; `nil` when the event named none (the spec's default type `message`).
    public var type: String?
    /// The `data:` lines joined with `\n`.
    public var data: String
    /// The `id:` field of this event, if it had one.
    public var id: String?

    /// Creates an event.
    public init(type: String? = nil, data: String, id: String? = nil) {
        self.type = type
        self.data = data
        self.id = id
    }
}
