import Foundation
import HTTPTypes
import Hummingbird

/// `GET /dashboard` (an addition): the operators' web page, and the script and style sheet it
/// loads from `dashboard/`. Public, like `/docs`: the page asks for the API key itself when an API
/// call answers 401, and sends it with every call it makes. Every URL it uses is relative, so it
/// works behind a path prefix.
struct DashboardRoutes {
    /// The files, as compiled into the binary.
    let assets: DashboardAssets

    func add(to routes: RouteTable<GatewayRequestContext>) {
        routes.on("/dashboard", .get) { request, _ in
            // The router reads `/dashboard/` as `/dashboard`, but the page's relative URLs would then
            // point one level too deep: send the browser to the canonical address.
            if request.uri.path.hasSuffix("/") {
                return Response(status: .permanentRedirect, headers: [.location: "../dashboard", .cacheControl: "no-cache"])
            }
            return try serve("index.html", request: request)
        }
        routes.on("/dashboard/:asset", .get) { request, context in
            try serve(context.parameters.get("asset") ?? "", request: request)
        }
    }

    /// The file `name` with its content type, entity tag and caching headers; 304 when the
    /// client's `If-None-Match` names the current version.
    func serve(_ name: String, request: Request) throws -> Response {
        guard let asset = assets.asset(named: name) else {
            throw GatewayError(status: .notFound, detail: .message("Not Found"))
        }
        var headers: HTTPFields = [
            .eTag: asset.entityTag,
            // Revalidate every time (the addresses carry no version), cheaply with the entity tag.
            .cacheControl: "no-cache",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        if name == "index.html" {
            headers[HTTPField.Name("Content-Security-Policy")!] = Self.contentSecurityPolicy
            headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        }
        if let tags = request.headers[.ifNoneMatch], DashboardAsset.matches(tags, asset.entityTag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    /// Everything the page loads comes from this gateway; nothing inline runs.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}
