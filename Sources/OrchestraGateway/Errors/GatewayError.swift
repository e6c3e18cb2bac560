import HTTPTypes
import Hummingbird
import OrchestraAPI
import OrchestraRedis

/// An error the gateway answers with FastAPI's body shape: `{"detail": "<message>"}`, or for
/// validation `{"detail": [{"type": "...", "loc": [...], "msg": "...", "input": ..., "ctx": {...}}]}`.
///
/// Messages are written for the client and never contain secrets (keys, Redis URLs, prompts).
/// It is Hummingbird's `HTTPResponseError`, so it renders its own response wherever it is thrown;
/// ``ErrorMiddleware`` maps every other error to one.
struct GatewayError: HTTPResponseError, Sendable, CustomStringConvertible {
    /// What the body's `detail` holds.
    enum Detail: Sendable, Hashable {
        /// A sentence.
        case message(String)
        /// Validation issues (422).
        case issues([ValidationIssue])
    }

    /// The response status.
    let status: HTTPResponse.Status
    /// The body's `detail`.
    let detail: Detail
    /// Extra response headers (`Allow` on 405).
    var headers: HTTPFields = [:]

    var description: String {
        switch detail {
        case .message(let message): "\(status.code) \(message)"
        case .issues(let issues): "\(status.code) " + issues.map(\.description).joined(separator: "; ")
        }
    }

    /// The body's `detail` as JSON.
    var detailJSON: JSONValue {
        switch detail {
        case .message(let message): .string(message)
        case .issues(let issues): .array(issues.map(Self.json))
        }
    }

    /// The response carrying this error (`HTTPResponseError`).
    func response(from request: Request, context: some RequestContext) -> Response { response }

    /// The response carrying this error.
    var response: Response {
        var response = JSONResponse.make(["detail": detailJSON], status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// One issue as FastAPI writes it: `type`, `loc`, `msg`, then `input` and `ctx` when the issue has them.
    private static func json(_ issue: ValidationIssue) -> JSONValue {
        let loc: [JSONValue] = issue.loc.map { element in
            switch element {
            case .key(let key): .string(key)
            case .index(let index): .int(Int64(index))
            }
        }
        var object: JSONObject = ["type": .string(issue.type), "loc": .array(loc), "msg": .string(issue.msg)]
        if let input = issue.input { object["input"] = input }
        if let ctx = issue.ctx { object["ctx"] = .object(ctx) }
        return .object(object)
    }
}

extension GatewayError {
    /// 404 for a path no route serves.
    static let notFound = GatewayError(status: .notFound, detail: .message("Not Found"))

    /// 404 for a workflow that does not exist (never submitted, deleted or expired).
    static func workflowNotFound(_ id: String) -> GatewayError {
        GatewayError(status: .notFound, detail: .message("Workflow \(id.prefix(200)) not found"))
    }

    /// 405 naming the methods the path allows.
    static func methodNotAllowed(allowing methods: [HTTPRequest.Method]) -> GatewayError {
        GatewayError(
            status: .methodNotAllowed, detail: .message("Method Not Allowed"),
            headers: [.allow: methods.map(\.rawValue).joined(separator: ", ")])
    }

    /// 401 for a missing or wrong `X-API-Key`.
    static let unauthorized = GatewayError(status: .unauthorized, detail: .message("Invalid or missing API key"))

    /// 409 for a `workflow_id` that is taken.
    static func workflowExists(_ id: String) -> GatewayError {
        GatewayError(status: .conflict, detail: .message("Workflow \(id) already exists"))
    }

    /// 413 for a body over `MAX_REQUEST_BYTES`.
    static func payloadTooLarge(limit: Int) -> GatewayError {
        GatewayError(status: .contentTooLarge, detail: .message("Request body too large: at most \(limit) bytes are allowed"))
    }

    /// 415 for a body that is not declared as JSON.
    static let unsupportedMediaType = GatewayError(
        status: .unsupportedMediaType, detail: .message("Content-Type must be application/json"))

    /// 422 listing every problem found.
    static func validation(_ issues: [ValidationIssue]) -> GatewayError {
        GatewayError(status: .unprocessableContent, detail: .issues(issues))
    }

    /// 503 when Redis cannot be reached or fails; names the failure kind only.
    static func storageUnavailable(_ error: RedisError) -> GatewayError {
        GatewayError(status: .serviceUnavailable, detail: .message("Storage unavailable: Redis \(error.code)"))
    }

    /// 501 for an event stream the cluster is configured not to write.
    static func eventsOff(cluster: Bool) -> GatewayError {
        let setting = cluster ? "CLUSTER_EVENTS_MAXLEN" : "EVENT_STREAM_MAXLEN"
        return GatewayError(
            status: .notImplemented,
            detail: .message("Live events are turned off on this cluster (\(setting)=0): poll GET /status/{id}?wait="))
    }

    /// The message of a ``Detail/message(_:)`` error (the issues' descriptions otherwise).
    var message: String {
        switch detail {
        case .message(let message): message
        case .issues(let issues): issues.map(\.description).joined(separator: "; ")
        }
    }

    /// 503 while the gateway has not yet checked the layout in Redis (it waits for Redis).
    static let starting = GatewayError(status: .serviceUnavailable, detail: .message("Starting: waiting for Redis"))

    /// 500 for anything unexpected; details go to the log, never to the client.
    static let internalError = GatewayError(status: .internalServerError, detail: .message("Internal Server Error"))
}
