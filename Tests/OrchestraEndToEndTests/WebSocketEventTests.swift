import Foundation
import Logging
import NIOWebSocket
import OrchestraAPI
import OrchestraTestSupport
import Synchronization
import Testing
import WSClient

/// `GET /ws` (API.md §6) from real gateway processes, through a real WebSocket client.
@Suite("End to end: live events over WebSocket", .serialized, .timeLimit(.minutes(10)))
struct WebSocketEventTests {
    @Test("/ws carries the workflow's events in causal order, the same as SSE; last_event_id resumes after it exactly")
    func sameEventsAsServerSentEvents() async throws {
        try await withCluster(environment: ["ECHO_LATENCY_MS": "150"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            try cluster.startWorker()
            let id = try await gateway.submit(EventStreamTests.graph)
            let url = gateway.baseURL.replacingOccurrences(of: "http://", with: "ws://") + "/ws"
            let live = try await WebSocketProbe.collect(url: url, send: [#"{"subscribe": "\#(id)", "last_event_id": null}"#]) {
                $0.contains { $0["type"]?.stringValue == "workflow.completed" }
            }
            let events = live.messages.map(WebSocketProbe.event)
            try EventStreamTests.checkCausal(events, id: id)
            #expect(live.messages.allSatisfy { $0["subscription"]?.stringValue == id })
            let sse = try await SSEClient(gateway.baseURL + "/workflows/\(id)/events").collect(until: .seconds(10))
            #expect(events.map(\.id) == sse.map(\.id), "the same events as the SSE stream")

            let cut = 3
            let rest = try await WebSocketProbe.collect(
                url: url, send: [#"{"subscribe": "\#(id)", "last_event_id": "\#(events[cut].id)"}"#]
            ) { $0.contains { $0["type"]?.stringValue == "workflow.completed" } }
            #expect(rest.messages.map(WebSocketProbe.event).map(\.id) == events[(cut + 1)...].map(\.id))
        }
    }

    @Test("'*' carries every workflow's lifecycle; problems come back as error messages and the socket stays open")
    func clusterWideAndErrors() async throws {
        try await withCluster { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            let id = try await gateway.submit(EventStreamTests.graph)
            #expect(try await gateway.waitForTerminal(id).status == .completed)
            let url = gateway.baseURL.replacingOccurrences(of: "http://", with: "ws://") + "/ws"
            let received = try await WebSocketProbe.collect(
                url: url, send: [#"{"subscribe": "no-such-workflow"}"#, "not json", #"{"subscribe": "*"}"#]
            ) { messages in
                messages.filter { $0["type"]?.stringValue == "error" }.count == 2
                    && messages.contains { $0["type"]?.stringValue == "workflow.completed" && $0["workflow_id"]?.stringValue == id }
            }
            let errors = received.messages.filter { $0["type"]?.stringValue == "error" }
            #expect(
                errors.contains {
                    $0["subscription"]?.stringValue == "no-such-workflow" && $0["detail"]?.stringValue?.contains("not found") == true
                })
            let mine = received.messages.filter { $0["workflow_id"]?.stringValue == id && $0["subscription"]?.stringValue == "*" }
            #expect(mine.first?["type"]?.stringValue == "workflow.submitted")
            #expect(!mine.contains { $0["type"]?.stringValue == "task.token" }, "the cluster-wide stream carries no tokens")
        }
    }

    @Test("with API_KEY, /ws without the key is closed with 1008 (policy violation); with ?api_key= it serves")
    func apiKey() async throws {
        try await withCluster(environment: ["API_KEY": "ws-secret"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            let url = gateway.baseURL.replacingOccurrences(of: "http://", with: "ws://") + "/ws"
            let refused = try await WebSocketProbe.collect(url: url, send: [#"{"subscribe": "*"}"#]) { _ in false }
            #expect(refused.close?.closeCode == .policyViolation)
            #expect(refused.messages.isEmpty)
            let served = try await WebSocketProbe.collect(url: url + "?api_key=ws-secret", send: [#"{"subscribe": "nope"}"#]) {
                !$0.isEmpty
            }
            #expect(served.messages.first?["type"]?.stringValue == "error")
        }
    }
}

extension WebSocketEventTests {
    @Test("a gateway that shuts down closes its WebSockets and exits")
    func shutdownClosesSockets() async throws {
        try await withCluster(environment: ["GATEWAY_DRAIN_SECONDS": "0"]) { cluster in
            let member = try await cluster.startGateway()
            let gateway = GatewayHTTP(member)
            _ = try await gateway.submit(EventStreamTests.graph)
            let url = gateway.baseURL.replacingOccurrences(of: "http://", with: "ws://") + "/ws"
            let pid = member.pid
            // The first replayed event shows the subscription is live: then the gateway is told to stop.
            let received = try await WebSocketProbe.collect(url: url, send: [#"{"subscribe": "*"}"#]) { messages in
                if messages.count == 1 { kill(pid, SIGTERM) }
                return false
            }
            #expect(received.close != nil, "the gateway closed the socket")
            try await cluster.waitForExit(member.pid, timeout: .seconds(15))
        }
    }
}

/// A WebSocket client that sends some messages and collects what comes back.
enum WebSocketProbe {
    struct Received: Sendable {
        var messages: [JSONValue]
        var close: WebSocketCloseFrame?
    }

    /// Connects to `url`, sends `send`, and collects JSON messages until `enough` holds (then it
    /// closes) or the server closes; fails after `limit`.
    static func collect(
        url: String, send: [String], limit: Duration = .seconds(30), enough: @escaping @Sendable ([JSONValue]) -> Bool
    ) async throws -> Received {
        let collected = Collected()
        let close = try await withThrowingTaskGroup(of: WebSocketCloseFrame?.self) { group in
            group.addTask {
                try await WebSocketClient.connect(url: url, logger: Logger(label: "ws-test")) { inbound, outbound, _ in
                    for message in send { try await outbound.write(.text(message)) }
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        guard case .text(let text) = message else { continue }
                        let value = try JSONValue.parse(Data(text.utf8))
                        if collected.messages.withLock({ messages in
                            messages.append(value)
                            return enough(messages)
                        }) {
                            return
                        }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: limit)
                throw ClusterError("the WebSocket did not deliver what was expected within \(limit)")
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        return Received(messages: collected.messages.withLock { $0 }, close: close)
    }

    private final class Collected: Sendable {
        let messages = Mutex<[JSONValue]>([])
    }

    /// A message as the SSE tests see an event.
    static func event(_ message: JSONValue) -> SSEClient.Event {
        SSEClient.Event(id: message["id"]?.stringValue ?? "", type: message["type"]?.stringValue ?? "", data: message)
    }
}
