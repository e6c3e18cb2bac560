import Hummingbird

/// Answers 503 on every route that reads or writes workflows until the gateway has checked the
/// layout in Redis (``GatewayReadiness``). The banner, health, readiness, documentation and the
/// dashboard's files stay up (the dashboard then shows the 503s of the API calls it makes).
struct ReadinessMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Paths served before the layout check.
    static var alwaysServed: Set<String> { ["/", "/health", "/ready", "/openapi.json", "/docs", "/redoc"] }

    let readiness: GatewayReadiness

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if readiness.isPrepared || Self.alwaysServed.contains(path) || path == "/dashboard" || path.hasPrefix("/dashboard/") {
            return try await next(request, context)
        }
        throw GatewayError.starting
    }
}
