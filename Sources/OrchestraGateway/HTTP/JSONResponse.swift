import HTTPTypes
import Hummingbird
import OrchestraAPI

/// Builds `application/json` responses. The gateway has one JSON writer, ``JSONValue``'s: it keeps
/// object members in their order (Foundation's `JSONEncoder` does not) and writes numbers as given.
enum JSONResponse {
    /// A response whose body is `value` as compact JSON, object members in their order.
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        make(bytes: value.compactJSONBytes, status: status)
    }

    /// A response whose body is the typed model `value` (``JSONValueEncoder``: members in the
    /// order its `encode(to:)` writes them).
    static func make(encoding value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        make(try JSONValueEncoder().encode(value), status: status)
    }

    /// A response with a body already encoded as JSON.
    static func make(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}
