import Foundation
import HTTPTypes
import Hummingbird
import OrchestraAPI

/// Builds `application/json` responses.
enum JSONResponse {
    /// A response whose body is `value` as compact JSON, object members in their order.
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        make(bytes: value.compactJSONBytes, status: status)
    }

    /// A response whose body is `value` encoded with `JSONEncoder` (the API models: nulls where
    /// their `encode(to:)` writes them).
    static func make(encoding value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return make(bytes: Array(try encoder.encode(value)), status: status)
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
