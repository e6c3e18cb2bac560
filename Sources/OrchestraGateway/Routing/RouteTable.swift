import HTTPTypes
import Hummingbird

/// Registers the gateway's routes on a Hummingbird router and remembers which methods each path
/// serves, so that other methods on a known path answer 405 (with `Allow`) instead of 404.
final class RouteTable<Context: RequestContext> {
    /// Methods that get a 405 responder on paths that do not serve them: the standard ones
    /// (CONNECT aside) and QUERY, the safe method with a body.
    static var answeredMethods: [HTTPRequest.Method] {
        [.get, .head, .post, .put, .patch, .delete, .options, .trace, HTTPRequest.Method("QUERY")!]
    }

    let router: Router<Context>
    /// The group every route is added to: middleware here runs only once a route matched.
    private let routes: RouterGroup<Context>
    private var paths: [String] = []
    private var methods: [String: [HTTPRequest.Method]] = [:]

    /// Routes on `router`; every request with a body must be JSON (``JSONBodyMiddleware``).
    init(router: Router<Context>) {
        self.router = router
        self.routes = router.group().add(middleware: JSONBodyMiddleware())
    }

    /// Adds a route.
    func on(
        _ path: String,
        _ method: HTTPRequest.Method,
        use handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) {
        if methods[path] == nil { paths.append(path) }
        methods[path, default: []].append(method)
        routes.on(RouterPath(path), method: method, use: handler)
    }

    /// Adds the 405 responders; call after every route is added. `HEAD` is left to the router's
    /// generated endpoint where the path serves `GET`.
    func addMethodNotAllowedResponders() {
        for path in paths {
            let served = methods[path] ?? []
            let allowed = served.contains(.get) && !served.contains(.head) ? served + [.head] : served
            let error = GatewayError.methodNotAllowed(allowing: allowed)
            for method in Self.answeredMethods where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { _, _ -> Response in throw error }
            }
        }
    }
}
