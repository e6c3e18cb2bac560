/// One scripted answer of the loopback provider server.
struct StubResponse: Sendable {
    enum Behaviour: Sendable {
        /// Answer normally.
        case respond
        /// Send the head and half of the body, then stall until the server stops.
        case stallBody
        /// Never answer (until the server stops).
        case hang
    }

    var status: Int
    var headers: [(String, String)]
    var body: String
    var delay: Duration
    var behaviour: Behaviour

    init(status: Int = 200, headers: [(String, String)] = [], body: String, delay: Duration = .zero, behaviour: Behaviour = .respond) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.behaviour = behaviour
    }

    static let hang = StubResponse(body: "", behaviour: .hang)
}
