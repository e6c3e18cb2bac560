import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import OrchestraAPI
import OrchestraScheduler

/// The workflow resource: `POST /run-graph`, `POST /run-graph/batch`, `GET /status/{workflow_id}` (with `?wait=`),
/// `GET /workflows`, `DELETE /workflows/{workflow_id}` and `GET /workflows/{workflow_id}/request`.
/// Every read goes to Redis.
struct WorkflowRoutes {
    /// `limit` of `GET /workflows` when absent.
    static let defaultListLimit = 100
    /// Largest `limit` of `GET /workflows`.
    static let maximumListLimit = 1000
    /// The largest `offset` `GET /workflows` accepts: deeper pages are read with `cursor`, whose
    /// cost does not grow with the depth.
    static let maximumListOffset = 1000
    /// The response header carrying the cursor of the next page of `GET /workflows`.
    static let nextCursorHeader = HTTPField.Name("X-Next-Cursor")!
    /// Longest `wait` of `GET /status/{id}`, in seconds.
    static let maximumWaitSeconds = 60.0

    let services: GatewayServices

    func add(to routes: RouteTable<GatewayRequestContext>) {
        routes.on("/run-graph", .post) { request, context in try await submit(request, logger: context.logger) }
        routes.on("/run-graph/batch", .post) { request, _ in try await submitBatch(request) }
        routes.on("/status/:workflow_id", .get) { request, context in
            try await status(id: Self.workflowID(context), uri: request.uri)
        }
        routes.on("/workflows", .get) { request, _ in try await list(uri: request.uri) }
        routes.on("/workflows/:workflow_id", .delete) { _, context in try await delete(id: Self.workflowID(context)) }
        routes.on("/workflows/:workflow_id/request", .get) { _, context in try await submittedRequest(id: Self.workflowID(context)) }
    }

    /// The `workflow_id` path segment, percent-decoded.
    static func workflowID(_ context: GatewayRequestContext) -> String {
        let raw = context.parameters.get("workflow_id") ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// `GET /status/{id}`: the workflow, after waiting up to `wait` seconds for it to finish.
    func status(id: String, uri: URI) async throws -> Response {
        var query = QueryReader(uri)
        let wait = query.positiveSeconds("wait", atMost: Self.maximumWaitSeconds)
        try query.check()
        // An id that breaks the syntax was never accepted, so it cannot exist: no Redis lookup.
        guard IdentifierSyntax.isValid(id), var stored = try await services.store.workflow(id) else {
            throw GatewayError.workflowNotFound(id)
        }
        if let wait, !Self.isTerminal(stored.status) {
            await waitUntilFinished(id: id, timeout: .milliseconds(Int64(wait * 1000)))
            guard let latest = try await services.store.workflow(id) else { throw GatewayError.workflowNotFound(id) }
            stored = latest
        }
        return JSONResponse.make(try WorkflowStatus(stored: stored).jsonValue)
    }

    /// `GET /workflows`: newest first, optionally one status, paged by `limit` and `cursor` (from
    /// the previous page's `X-Next-Cursor` header; absent on the last page) or a small `offset`.
    /// The body stays the Phase 2 array.
    func list(uri: URI) async throws -> Response {
        var query = QueryReader(uri)
        let status = query.oneOf("status", WorkflowState.self)
        let limit = query.integer("limit", default: Self.defaultListLimit, in: 1...Self.maximumListLimit)
        let offset = query.integer("offset", default: 0, in: 0...Self.maximumListOffset)
        let cursor = query.cursor("cursor")
        try query.check()
        let page = try await services.store.list(status: status?.rawValue, limit: limit, cursor: cursor, offset: offset)
        var statuses: [WorkflowStatus] = []
        statuses.reserveCapacity(page.workflows.count)
        for workflow in page.workflows { statuses.append(try WorkflowStatus(stored: workflow)) }
        var response = JSONResponse.make(.array(statuses.map(\.jsonValue)))
        if let next = page.next { response.headers[Self.nextCursorHeader] = next.description }
        return response
    }

    /// `DELETE /workflows/{id}`: cancels whatever still runs and removes the record.
    func delete(id: String) async throws -> Response {
        guard IdentifierSyntax.isValid(id), try await services.store.cancel(id) else {
            throw GatewayError.workflowNotFound(id)
        }
        services.logger.info("workflow deleted", metadata: ["workflow_id": "\(id)"])
        return try JSONResponse.make(encoding: DeletionMessage(message: "Workflow \(id) deleted"))
    }

    static func isTerminal(_ status: String) -> Bool {
        WorkflowState(rawValue: status)?.isTerminal ?? false
    }
}
