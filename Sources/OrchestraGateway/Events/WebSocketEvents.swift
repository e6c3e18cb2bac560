import Foundation
import HTTPTypes
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import OrchestraAPI
import OrchestraConcurrency
import OrchestraRedis
import OrchestraScheduler
import ServiceLifecycle
import Synchronization

/// `GET /ws`: the live events of API.md §6 over a WebSocket. The client sends text messages
///
///     {"subscribe": "<workflow_id>", "last_event_id": "<id or null>"}
///     {"subscribe": "*", "status": "<optional>", "workflow_type": "<optional>"}
///     {"unsubscribe": "<workflow_id or *>"}
///
/// and receives each event as one text message: the event's JSON object (the `data:` of the
/// Server-Sent Events) with `id` (resume with it as `last_event_id`) and `subscription`. A
/// workflow subscription ends after its terminal event; subscribing again to the same id replaces
/// the earlier subscription. Problems come back as `{"type": "error", "detail": …}` (with the
/// `subscription` they concern), and the socket stays open. With `API_KEY` set, the upgrade
/// request carries `X-API-Key` (or `?api_key=`, since browsers cannot set headers on a
/// WebSocket); without it the socket is closed at once with code 1008 (policy violation).
struct WebSocketEvents: Sendable {
    let services: GatewayServices
    let apiKey: [UInt8]?

    /// The most subscriptions one socket holds at once.
    static let maxSubscriptions = 100
    /// The largest message a client may send.
    static let maxMessageBytes = 16 << 10

    /// Whether a request upgrades: only `GET /ws`.
    func shouldUpgrade(_ head: HTTPRequest) -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let target = head.path ?? ""
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard path == "/ws" else { return .dontUpgrade }
        let authorized = isAuthorized(head, target: target)
        return .upgrade([:]) { inbound, outbound, _ in
            guard authorized else {
                try await outbound.close(.policyViolation, reason: "missing or invalid API key")
                return
            }
            try await session(inbound: inbound, outbound: outbound)
        }
    }

    private func isAuthorized(_ head: HTTPRequest, target: String) -> Bool {
        guard let apiKey else { return true }
        if let header = head.headerFields[APIKeyMiddleware<GatewayRequestContext>.headerName] {
            return APIKeyMiddleware<GatewayRequestContext>.constantTimeEquals(Array(header.utf8), apiKey)
        }
        let query = target.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        for pair in query.split(separator: "&") where pair.hasPrefix("api_key=") {
            let value = String(pair.dropFirst("api_key=".count)).removingPercentEncoding ?? ""
            return APIKeyMiddleware<GatewayRequestContext>.constantTimeEquals(Array(value.utf8), apiKey)
        }
        return false
    }

    /// The live subscriptions of one socket, by what they follow.
    private final class Subscriptions: Sendable {
        private let stops = Mutex<[String: AsyncEvent]>([:])

        /// Registers `key`, stopping an earlier subscription to it; `nil` when the socket is full.
        func start(_ key: String) -> AsyncEvent? {
            stops.withLock { stops -> AsyncEvent? in
                if let earlier = stops.removeValue(forKey: key) { earlier.signal() }
                guard stops.count < WebSocketEvents.maxSubscriptions else { return nil }
                let stop = AsyncEvent()
                stops[key] = stop
                return stop
            }
        }

        func stop(_ key: String) { stops.withLock { $0.removeValue(forKey: key) }?.signal() }

        /// Forgets `key` if `stop` is still its subscription (it ended by itself).
        func ended(_ key: String, _ stop: AsyncEvent) {
            stops.withLock { stops in
                if stops[key] === stop { stops[key] = nil }
            }
        }

        func stopAll() {
            for stop in stops.withLock({ stops in
                defer { stops.removeAll() }; return Array(stops.values)
            }) { stop.signal() }
        }
    }

    private func session(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let subscriptions = Subscriptions()
        let shuttingDown = AsyncEvent()
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                    guard case .text(let text) = message else {
                        try await outbound.writeTextMessage(Self.error("messages are JSON text", subscription: nil))
                        continue
                    }
                    switch Command(text) {
                    case .invalid(let detail):
                        try await outbound.writeTextMessage(Self.error(detail, subscription: nil))
                    case .unsubscribe(let key):
                        subscriptions.stop(key)
                    case .subscribe(let key, let last, let status, let type):
                        guard let stop = subscriptions.start(key) else {
                            try await outbound.writeTextMessage(
                                Self.error("at most \(Self.maxSubscriptions) subscriptions per socket", subscription: key))
                            continue
                        }
                        group.addTask {
                            defer { subscriptions.ended(key, stop) }
                            try await follow(key, after: last, status: status, type: type, stop: stop, outbound: outbound)
                        }
                    }
                }
                subscriptions.stopAll()
                group.cancelAll()
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            shuttingDown.signal()
            subscriptions.stopAll()
        }
        if shuttingDown.isSignalled {
            // The client reconnects to another gateway and resumes from its last ids.
            try? await outbound.close(.goingAway, reason: "gateway shutting down")
        }
    }

    /// Delivers one subscription's events until it ends; Redis or lookup problems become error
    /// messages for that subscription, a dead socket ends the session.
    private func follow(
        _ key: String, after last: String?, status: String?, type: WorkflowType?, stop: AsyncEvent, outbound: WebSocketOutboundWriter
    ) async throws {
        let feed = services.feed
        let deliver: ([EventFeed.Delivery]) async throws -> Void = { events in
            // The rendered event with `id` and `subscription` spliced in front of its fields.
            let subscription = JSONValue.string(key).compactJSONString
            for event in events {
                let head = "{\"id\":" + JSONValue.string(event.id).compactJSONString + ",\"subscription\":" + subscription + ","
                try await outbound.writeTextMessage(head + event.json.dropFirst())
            }
        }
        do {
            if key == "*" {
                guard services.events.log.clusterStreamEnabled else {
                    try await outbound.writeTextMessage(Self.error(GatewayError.eventsOff(cluster: true).message, subscription: key))
                    return
                }
                guard let cursors = try await feed.clusterCursors(after: last, replay: EventRoutes.clusterReplay) else {
                    try await outbound.writeTextMessage(Self.error("last_event_id is not an id of this stream", subscription: key))
                    return
                }
                let wanted = EventRoutes.filter(status: status, workflowType: type)
                try await feed.followCluster(from: cursors, wanted: wanted, stop: stop, deliver: deliver, idle: {})
            } else {
                guard services.events.log.workflowStreamsEnabled else {
                    try await outbound.writeTextMessage(Self.error(GatewayError.eventsOff(cluster: false).message, subscription: key))
                    return
                }
                guard IdentifierSyntax.isValid(key), try await services.events.log.exists(workflow: key) else {
                    try await outbound.writeTextMessage(Self.error("Workflow \(key) not found", subscription: key))
                    return
                }
                if let last, !StreamID.isValid(last) {
                    try await outbound.writeTextMessage(Self.error("last_event_id is not an id of this stream", subscription: key))
                    return
                }
                try await feed.followWorkflow(key, after: last, stop: stop, deliver: deliver, idle: {})
            }
        } catch let error as RedisError {
            services.logger.warning("event subscription ended by a storage error", metadata: ["error": "\(error)"])
            try await outbound.writeTextMessage(Self.error("storage unavailable, subscribe again", subscription: key))
        }
    }

    static func error(_ detail: String, subscription: String?) -> String {
        var object: JSONObject = ["type": "error", "detail": .string(detail)]
        if let subscription { object["subscription"] = .string(subscription) }
        return JSONValue.object(object).compactJSONString
    }

    /// A client message.
    enum Command {
        case subscribe(String, last: String?, status: String?, type: WorkflowType?)
        case unsubscribe(String)
        case invalid(String)

        init(_ text: String) {
            guard let value = try? JSONValue.parse(Data(text.utf8)), case .object(let object) = value else {
                self = .invalid("a message is a JSON object: {\"subscribe\": \"<workflow_id>|*\", \"last_event_id\": …}")
                return
            }
            if case .string(let key)? = object["unsubscribe"] {
                self = .unsubscribe(key)
                return
            }
            guard case .string(let key)? = object["subscribe"] else {
                self = .invalid("expected \"subscribe\" or \"unsubscribe\" with a workflow id or \"*\"")
                return
            }
            var last: String?
            switch object["last_event_id"] {
            case nil, .null?: last = nil
            case .string(let id)?: last = id
            default:
                self = .invalid("last_event_id is a string or null")
                return
            }
            var status: String?
            if case .string(let value)? = object["status"] { status = value }
            var type: WorkflowType?
            if case .string(let value)? = object["workflow_type"] {
                guard let parsed = WorkflowType(rawValue: value) else {
                    self = .invalid("workflow_type is one of sequential, parallel, graph")
                    return
                }
                type = parsed
            }
            self = .subscribe(key, last: last, status: status, type: type)
        }
    }
}
