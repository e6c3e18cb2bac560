/// One scripted answer of the loopback provider server.
public struct StubResponse: Sendable {
    public enum Behaviour: Sendable {
        /// Answer normally.
        case respond
        /// Send the head and half of the body, then stall until the server stops.
        case stallBody
        /// Never answer (until the server stops).
        case hang
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: String
    public var delay: Duration
    public var behaviour: Behaviour

    public init(status: Int = 200, headers: [(String, String)] = [], body: String, delay: Duration = .zero, behaviour: Behaviour = .respond)
    {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.behaviour = behaviour
    }

    public static let hang = StubResponse(body: "", behaviour: .hang)
}
