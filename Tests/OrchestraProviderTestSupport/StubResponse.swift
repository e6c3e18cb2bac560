/// One scripted answer of the loopback provider server.
///
/// A 2xx answer to a request that asked for a stream (`"stream": true`) is sent in the provider's
/// streaming wire format instead, converted from `body` by ``StreamedAnswer``: the same text,
/// usage and model, in pieces of a few characters.
public struct StubResponse: Sendable {
    public enum Behaviour: Sendable {
        /// Answer normally.
        case respond
        /// Send the head and half of the body (half of the events of a stream), then stall until
        /// the server stops.
        case stallBody
        /// Never answer (until the server stops).
        case hang
        /// Stream the first `afterPieces` pieces of the text, then drop the connection.
        case cutStream(afterPieces: Int)
        /// Stream the first `afterPieces` pieces of the text, then an error event carrying
        /// `error` (the provider's error JSON), and end the stream.
        case streamError(afterPieces: Int, error: String)
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: String
    public var delay: Duration
    public var behaviour: Behaviour
    /// The pause between the events of a stream.
    public var pieceDelay: Duration
    /// `false` plays a compatible server that ignores `"stream": true` and answers with `body` as it is.
    public var streams = true

    public init(
        status: Int = 200, headers: [(String, String)] = [], body: String, delay: Duration = .zero, behaviour: Behaviour = .respond,
        pieceDelay: Duration = .zero
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.behaviour = behaviour
        self.pieceDelay = pieceDelay
    }

    public static let hang = StubResponse(body: "", behaviour: .hang)
}
