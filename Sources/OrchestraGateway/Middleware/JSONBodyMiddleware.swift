import HTTPTypes
import Hummingbird

/// Requires `Content-Type: application/json` (or `application/<something>+json`; parameters such
/// as `; charset=utf-8` allowed, case ignored) on every `POST`, `PUT` and `PATCH` that has a body,
/// and answers 415 otherwise. A web page can send a `text/plain` or form POST to any origin
/// without a CORS preflight; with no `API_KEY` such a POST must not submit workflows.
///
/// Added to the route group every route is registered in (``RouteTable``), so it runs once a
/// route matched: unknown paths stay 404 and other methods 405.
struct JSONBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.needsJSON(request), !Self.isJSON(request.headers[.contentType]) {
            throw GatewayError.unsupportedMediaType
        }
        return try await next(request, context)
    }

    /// Whether `request` is a `POST`, `PUT` or `PATCH` with a body (a non-zero `Content-Length`,
    /// or any `Transfer-Encoding`).
    static func needsJSON(_ request: Request) -> Bool {
        switch request.method {
        case .post, .put, .patch: break
        default: return false
        }
        if let length = request.headers[.contentLength] { return Int(length) != 0 }
        return request.headers[.transferEncoding] != nil
    }

    /// Whether a `Content-Type` value names JSON: `application/json` or `application/*+json`.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        // What nearly every client sends, without the byte-wise parse below.
        if contentType == "application/json" || contentType == "application/json; charset=utf-8" { return true }
        var mediaType = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }[...]
        while let last = mediaType.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { mediaType = mediaType.dropLast() }
        while let first = mediaType.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { mediaType = mediaType.dropFirst() }
        let type = Array("application/".utf8)
        guard mediaType.count > type.count, Self.equalIgnoringCase(mediaType.prefix(type.count), type) else { return false }
        let subtype = mediaType.dropFirst(type.count)
        if Self.equalIgnoringCase(subtype, Array("json".utf8)) { return true }
        let suffix = Array("+json".utf8)
        return subtype.count > suffix.count && !subtype.contains(UInt8(ascii: "/"))
            && Self.equalIgnoringCase(subtype.suffix(suffix.count), suffix)
    }

    /// ASCII comparison ignoring case; `expected` is lowercase.
    private static func equalIgnoringCase(_ bytes: some Collection<UInt8>, _ expected: [UInt8]) -> Bool {
        guard bytes.count == expected.count else { return false }
        return zip(bytes, expected).allSatisfy { byte, lower in
            byte == lower || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") && byte | 0x20 == lower)
        }
    }
}
