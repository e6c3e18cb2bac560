import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension ProviderTransport.Response {
    /// Whether the status is 2xx.
    var isSuccess: Bool { (200..<300).contains(self.status) }

    /// Decodes a success body, or throws ``ProviderError/Code/malformedResponse`` naming what was wrong
    /// (never quoting the body, which may echo prompts).
    func decode<Body: Decodable>(_ type: Body.Type, provider: String) throws -> Body {
        do {
            return try JSONDecoder().decode(type, from: Data(self.body.readableBytesView))
        } catch let error as DecodingError {
            throw ProviderError(.malformedResponse, provider: provider, status: self.status, message: Self.explain(error))
        } catch {
            throw ProviderError(.malformedResponse, provider: provider, status: self.status, message: "the body is not valid JSON")
        }
    }

    /// Decodes an error body if it has the provider's shape; `nil` otherwise.
    func decodeError<Body: Decodable>(_ type: Body.Type) -> Body? {
        try? JSONDecoder().decode(type, from: Data(self.body.readableBytesView))
    }

    /// What to say about an error body that is not in the provider's format.
    var unrecognisedErrorBody: String {
        self.body.readableBytes == 0
            ? "empty error body" : "error body not in the provider's format (\(self.body.readableBytes) bytes)"
    }

    private static func explain(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "the body" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \(path(context.codingPath + [key]))"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) is null"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) is not of type \(type)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "\(path(context.codingPath)) is invalid"
        @unknown default:
            return "the body could not be decoded"
        }
    }
}
