import HTTPTypes
import Hummingbird
import NIOCore
import OrchestraAPI
import OrchestraConcurrency
import OrchestraScheduler
import ServiceLifecycle

/// Live events (API.md §6) as Server-Sent Events: `GET /workflows/{workflow_id}/events` and the
/// cluster-wide `GET /events`. Any gateway serves any workflow: the events are in Redis.
struct EventRoutes {
    let services: GatewayServices

    func add(to routes: RouteTable<GatewayRequestContext>) {
        routes.on("/workflows/:workflow_id/events", .get) { request, context in
            try await workflowEvents(id: WorkflowRoutes.workflowID(context), request: request)
        }
        routes.on("/events", .get) { request, _ in try await clusterEvents(request: request) }
    }

    static let headers: HTTPFields = [
        .contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no",
    ]

    /// The id a client resumes after: the `Last-Event-ID` header, else `?last_event_id=`.
    static func lastEventID(_ request: Request, query: inout QueryReader) -> String? {
        request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { $0.isEmpty ? nil : $0 } ?? query.string("last_event_id")
    }

    /// `GET /workflows/{id}/events`: the workflow's events from the start (or after the client's
    /// last id), live, with a heartbeat comment every ``heartbeat``, ending after the terminal one.
    func workflowEvents(id: String, request: Request) async throws -> Response {
        var query = QueryReader(request.uri)
        let last = Self.lastEventID(request, query: &query)
        if let last, !StreamID.isValid(last) {
            throw GatewayError.validation([
                ValidationIssue(loc: ["header", "Last-Event-ID"], msg: "Value error, not an event id of this stream", type: "value_error")
            ])
        }
        try query.check()
        guard services.events.log.workflowStreamsEnabled else { throw GatewayError.eventsOff(cluster: false) }
        guard IdentifierSyntax.isValid(id), try await services.events.log.exists(workflow: id) else {
            throw GatewayError.workflowNotFound(id)
        }
        let feed = services.feed
        return Response(
            status: .ok, headers: Self.headers,
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                // A graceful shutdown ends the stream; the client resumes on another gateway.
                let stop = AsyncEvent()
                try await withGracefulShutdownHandler {
                    try await feed.followWorkflow(id, after: last, stop: stop) { events in
                        try await writer.write(ByteBuffer(string: Self.text(events)))
                    } idle: {
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    }
                } onGracefulShutdown: {
                    stop.signal()
                }
                try await writer.finish(nil)
            })
    }

    /// Server-Sent Events: `id:`, `event:` (the type) and `data:` (the JSON object) of each.
    static func text(_ events: [EventFeed.Delivery]) -> String {
        var text = ""
        for event in events { text += "id: \(event.id)\nevent: \(event.type)\ndata: \(event.json)\n\n" }
        return text
    }

    /// `GET /events`: every shard's lifecycle events (no tokens, no outputs), the last
    /// ``clusterReplay`` of each shard first when the client gives no id, then live; optionally only
    /// of one `status` (see ``EventJSON/status(of:)``) or `workflow_type`. Its event ids join the
    /// shards' positions with `~`: opaque, but a resume continues each shard where it stopped.
    func clusterEvents(request: Request) async throws -> Response {
        var query = QueryReader(request.uri)
        let last = Self.lastEventID(request, query: &query)
        let status = query.string("status")
        let type = query.oneOf("workflow_type", WorkflowType.self)
        try query.check()
        guard services.events.log.clusterStreamEnabled else { throw GatewayError.eventsOff(cluster: true) }
        let feed = services.feed
        guard let cursors = try await feed.clusterCursors(after: last, replay: Self.clusterReplay) else {
            throw GatewayError.validation([
                ValidationIssue(loc: ["header", "Last-Event-ID"], msg: "Value error, not an id of this stream", type: "value_error")
            ])
        }
        let wanted = Self.filter(status: status, workflowType: type)
        return Response(
            status: .ok, headers: Self.headers,
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                let stop = AsyncEvent()
                try await withGracefulShutdownHandler {
                    try await feed.followCluster(from: cursors, wanted: wanted, stop: stop) { events in
                        try await writer.write(ByteBuffer(string: Self.text(events)))
                    } idle: {
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    }
                } onGracefulShutdown: {
                    stop.signal()
                }
                try await writer.finish(nil)
            })
    }

    /// The cluster-wide events a `status` / `workflow_type` filter lets through.
    static func filter(status: String?, workflowType: WorkflowType?) -> @Sendable (StoredEvent) -> Bool {
        { event in
            if let status, EventJSON.status(of: event.type) != status { return false }
            if let workflowType, event.fields["workflow_type"] != workflowType.rawValue { return false }
            return true
        }
    }

    /// Events of each shard `GET /events` replays to a client that gives no id.
    static let clusterReplay = 100
}
