import HTTPTypes
import Hummingbird

/// Requires `X-API-Key` to equal the configured key (`API_KEY`) on every request except the
/// public ones: `GET`/`HEAD` of `/`, `/health`, `/ready` (probes send no key), `/openapi.json`,
/// `/docs`, `/redoc`, the dashboard's files (`/dashboard` and `/dashboard/*`: the page asks for the
/// key and sends it with every API call it makes), and `/metrics` when `METRICS_PUBLIC` is set.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The header clients send the key in.
    static var headerName: HTTPField.Name { HTTPField.Name("X-API-Key")! }
    /// Paths anyone may read.
    static var publicPaths: Set<String> { ["/", "/health", "/ready", "/openapi.json", "/docs", "/redoc", "/dashboard"] }

    let key: [UInt8]
    let metricsArePublic: Bool

    init(key: String, metricsArePublic: Bool = false) {
        self.key = Array(key.utf8)
        self.metricsArePublic = metricsArePublic
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isPublic(request) || (metricsArePublic && Self.path(of: request) == "/metrics") {
            return try await next(request, context)
        }
        guard let provided = request.headers[Self.headerName], Self.constantTimeEquals(Array(provided.utf8), key) else {
            throw GatewayError.unauthorized
        }
        return try await next(request, context)
    }

    /// Whether `request` needs no key. Paths are compared as the router sees them
    /// (empty segments ignored), so `/health/` is as public as `/health`.
    static func isPublic(_ request: Request) -> Bool {
        guard request.method == .get || request.method == .head else { return false }
        let normalized = path(of: request)
        return publicPaths.contains(normalized) || normalized.hasPrefix("/dashboard/")
    }

    /// The path as the router sees it (empty segments ignored).
    static func path(of request: Request) -> String {
        "/" + request.uri.path.split(separator: "/").joined(separator: "/")
    }

    /// Compares in time that depends only on the lengths, so the key cannot be guessed byte by byte.
    static func constantTimeEquals(_ provided: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt64(provided.count ^ expected.count)
        guard !expected.isEmpty else { return provided.isEmpty }
        for index in provided.indices {
            difference |= UInt64(provided[index] ^ expected[index % expected.count])
        }
        return difference == 0
    }
}
