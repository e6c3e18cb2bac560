import HTTPTypes
import Hummingbird

/// Cross-origin access for the origins in `CORS_ORIGINS` (`*` allows any). Answers preflight
/// requests itself (before authentication: browsers send no custom header on a preflight) and
/// adds `Access-Control-Allow-Origin` to every response to an allowed origin.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Methods the API uses.
    static var allowedMethods: String { "GET, POST, DELETE, OPTIONS" }
    /// Request headers the API reads.
    static var allowedHeaders: String { "Accept, Content-Type, X-API-Key" }
    /// How long browsers may cache a preflight answer, in seconds.
    static var maxAge: String { "600" }

    let allowsAnyOrigin: Bool
    let origins: Set<String>

    /// A policy for `origins`; `*` among them allows every origin.
    init(origins: [String]) {
        self.allowsAnyOrigin = origins.contains("*")
        self.origins = Set(origins.filter { $0 != "*" })
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        let allowed = allowsAnyOrigin || origins.contains(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            guard allowed else {
                return GatewayError(status: .badRequest, detail: .message("Disallowed CORS origin")).response
            }
            var headers: HTTPFields = [
                .accessControlAllowMethods: Self.allowedMethods,
                .accessControlAllowHeaders: Self.allowedHeaders,
                .accessControlMaxAge: Self.maxAge,
            ]
            addOrigin(origin, to: &headers)
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if allowed { addOrigin(origin, to: &response.headers) }
        return response
    }

    private func addOrigin(_ origin: String, to headers: inout HTTPFields) {
        if allowsAnyOrigin {
            headers[.accessControlAllowOrigin] = "*"
        } else {
            headers[.accessControlAllowOrigin] = origin
            headers[values: .vary].append("Origin")
        }
    }
}
