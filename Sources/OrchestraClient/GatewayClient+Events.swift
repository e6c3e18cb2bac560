import AsyncHTTPClient
import NIOCore
import NIOHTTP1
public import OrchestraAPI

extension GatewayClient {
    /// One event of `GET /workflows/{id}/events`.
    public struct Event: Sendable {
        /// The stream id (what `Last-Event-ID` resumes after).
        public var id: String
        /// The event type, e.g. `task.token`.
        public var type: String
        /// The event's JSON object.
        public var data: JSONValue

        /// Whether it ends the workflow's stream.
        public var isTerminal: Bool {
            ["workflow.completed", "workflow.failed", "workflow.partial", "workflow.cancelled"].contains(type)
        }
    }

    /// Reads workflow `id`'s events from the gateway after `lastEventID` (from the start when
    /// `nil`), passing each to `handle`, until the stream ends: returns normally when the server
    /// ends it (after the terminal event, or early when a gateway shuts down), throws when the
    /// connection fails or the gateway refuses (a ``Failure`` with its status).
    public func readEvents(of id: String, after lastEventID: String?, _ handle: (Event) async throws -> Void) async throws {
        var request = HTTPClientRequest(url: baseURL + "/workflows/\(id)/events")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let apiKey { request.headers.add(name: "X-API-Key", value: apiKey) }
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        // The deadline covers the response head; the body streams for as long as the workflow runs.
        let response = try await httpClient.execute(request, deadline: .now() + .seconds(30))
        guard response.status == .ok else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw Failure(status: Int(response.status.code), body: String(buffer: body))
        }
        var parser = ServerSentEventParser()
        for try await chunk in response.body {
            for event in try parser.feed(chunk.readableBytesView) {
                guard let type = event.type, let id = event.id, let data = try? JSONValue.parse(event.data) else { continue }
                try await handle(Event(id: id, type: type, data: data))
            }
        }
    }
}
