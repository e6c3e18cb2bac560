import Hummingbird

/// Answers 503 on every route that reads or writes workflows until the gateway has checked the
/// layout in Redis (``GatewayReadiness``). The banner, health, readiness and documentation stay up.
struct ReadinessMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Paths served before the layout check.
    static var alwaysServed: Set<String> { ["/", "/health", "/ready", "/openapi.json", "/docs", "/redoc"] }

    let readiness: GatewayReadiness

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if readiness.isPrepared || Self.alwaysServed.contains(request.uri.path) {
            return try await next(request, context)
        }
        throw GatewayError.starting
    }
}
