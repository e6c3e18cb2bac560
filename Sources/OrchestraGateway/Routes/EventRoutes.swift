import HTTPTypes
import Hummingbird
import NIOCore
import OrchestraConcurrency
import OrchestraCore
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
        guard IdentifierSyntax.isValid(id), try await services.events.log.exists(workflow: id) else {
            throw GatewayError.workflowNotFound(id)
        }
        let key = services.keys.workflow(id).events
        let shard = services.keys.shard(of: id)
        let hub = services.events
        let heartbeat = services.heartbeat
        return Response(
            status: .ok, headers: Self.headers,
            body: ResponseBody { writer in
                try await hub.join([(key, shard)])
                defer { hub.leave([key]) }
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                var cursor = last
                // A graceful shutdown ends the stream; the client resumes on another gateway.
                let stop = AsyncEvent()
                try await withGracefulShutdownHandler {
                    while !stop.isSignalled, !Task.isCancelled {
                        let events = try await hub.events(in: key, after: cursor)
                        if events.isEmpty {
                            await hub.wait(for: [(key, cursor)], timeout: heartbeat, stop: stop)
                            if stop.isSignalled { break }
                            if try await hub.events(in: key, after: cursor).isEmpty {
                                try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                            }
                            continue
                        }
                        var text = ""
                        for event in events {
                            text += EventJSON.serverSentEvent(
                                id: event.id, type: event.type, object: EventJSON.object(event, workflowID: id))
                        }
                        try await writer.write(ByteBuffer(string: text))
                        cursor = events.last?.id
                        if events.contains(where: \.isTerminal) { break }
                    }
                } onGracefulShutdown: {
                    stop.signal()
                }
                try await writer.finish(nil)
            })
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
        let shards = services.keys.shards
        var cursors: [String?] = Array(repeating: nil, count: shards.count)
        if let last {
            let parts = last.split(separator: "~", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == shards.count, parts.allSatisfy(StreamID.isValid) else {
                throw GatewayError.validation([
                    ValidationIssue(loc: ["header", "Last-Event-ID"], msg: "Value error, not an id of this stream", type: "value_error")
                ])
            }
            cursors = parts
        } else {
            for (index, shard) in shards.enumerated() {
                let recent = try await services.events.log.tail(shard.events, count: Self.clusterReplay + 1)
                cursors[index] = recent.count > Self.clusterReplay ? recent[0].id : "0-0"
            }
        }
        let keys = shards.map(\.events)
        let hub = services.events
        let heartbeat = services.heartbeat
        let initial = cursors
        let wanted: @Sendable (StoredEvent) -> Bool = { event in
            if let status, EventJSON.status(of: event.type) != status { return false }
            if let type, event.fields["workflow_type"] != type.rawValue { return false }
            return true
        }
        return Response(
            status: .ok, headers: Self.headers,
            body: ResponseBody { writer in
                try await hub.join(shards.map { ($0.events, $0.index) })
                defer { hub.leave(keys) }
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                var positions = initial
                let stop = AsyncEvent()
                try await withGracefulShutdownHandler {
                    while !stop.isSignalled, !Task.isCancelled {
                        var text = ""
                        for (index, key) in keys.enumerated() {
                            let events = try await hub.events(in: key, after: positions[index])
                            for event in events {
                                positions[index] = event.id
                                guard wanted(event) else { continue }
                                let id = positions.map { $0 ?? "0-0" }.joined(separator: "~")
                                text += EventJSON.serverSentEvent(
                                    id: id, type: event.type, object: EventJSON.object(event, workflowID: nil))
                            }
                        }
                        if !text.isEmpty {
                            try await writer.write(ByteBuffer(string: text))
                            continue
                        }
                        let waitFor = zip(keys, positions).map { (key: $0, after: $1) }
                        await hub.wait(for: waitFor, timeout: heartbeat, stop: stop)
                        if stop.isSignalled { break }
                        var fresh = false
                        for (index, key) in keys.enumerated()
                        where !(try await hub.events(in: key, after: positions[index], count: 1).isEmpty) {
                            fresh = true
                        }
                        if !fresh { try await writer.write(ByteBuffer(string: ": heartbeat\n\n")) }
                    }
                } onGracefulShutdown: {
                    stop.signal()
                }
                try await writer.finish(nil)
            })
    }

    /// Events of each shard `GET /events` replays to a client that gives no id.
    static let clusterReplay = 100
}
