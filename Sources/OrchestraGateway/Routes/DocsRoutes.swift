import Hummingbird

/// `GET /openapi.json`, `GET /docs` (Swagger UI) and `GET /redoc` (ReDoc), the two pages FastAPI
/// serves, loading their viewers from a CDN and pointed at the document.
struct DocsRoutes {
    let document: OpenAPIDocument

    func add(to routes: RouteTable<GatewayRequestContext>) {
        let bytes = document.bytes
        routes.on("/openapi.json", .get) { _, _ in JSONResponse.make(bytes: bytes) }
        routes.on("/docs", .get) { _, _ in Self.html(Self.page) }
        routes.on("/redoc", .get) { _, _ in Self.html(Self.redocPage) }
    }

    static func html(_ page: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
    }

    /// The ReDoc page, pointed at the document by a relative URL.
    static let redocPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(ServiceRoutes.serviceName) - ReDoc</title>
        </head>
        <body>
        <noscript>This page needs JavaScript; the raw document is at <a href="openapi.json">openapi.json</a>.</noscript>
        <redoc spec-url="openapi.json"></redoc>
        <script src="https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"></script>
        </body>
        </html>
        """

    /// The docs page. The document URL is relative, so it also works behind a path prefix.
    static let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(ServiceRoutes.serviceName) - API docs</title>
        <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
        </head>
        <body>
        <div id="swagger-ui"></div>
        <noscript>This page needs JavaScript; the raw document is at <a href="openapi.json">openapi.json</a>.</noscript>
        <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
        <script>
        window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true });
        </script>
        </body>
        </html>
        """
}
