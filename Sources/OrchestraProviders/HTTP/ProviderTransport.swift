import AsyncHTTPClient
import NIOCore
import NIOHTTP1

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The HTTP exchange every remote provider shares: POST a JSON body, wait for the whole answer (or
/// read its event stream, `ProviderTransport+Streaming.swift`) within the request's timeout, and turn
/// transport failures into ``ProviderError``.
struct ProviderTransport: Sendable {
    /// A provider's raw answer.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// Bodies larger than this are refused rather than buffered.
    static let maximumBodySize = 8 * 1024 * 1024

    let httpClient: HTTPClient
    let provider: String
    /// Kept as an ``APIKey`` so that dumping a provider never shows it.
    let apiKey: APIKey?

    /// Strings that must never reach an error message.
    var secrets: [String] { self.apiKey.map { [$0.value] } ?? [] }

    /// POSTs `body` as JSON to `url` and returns the answer, whatever its status.
    func post(url: String, headers: HTTPHeaders, body: some Encodable & Sendable, timeout: Duration) async throws -> Response {
        let request = try self.request(url: url, headers: headers, body: body, accept: "application/json")
        return try await self.exchange(timeout: timeout) { client, deadline in
            let response = try await client.execute(request, deadline: deadline)
            let body = try await response.body.collect(upTo: Self.maximumBodySize)
            return Response(status: Int(response.status.code), headers: response.headers, body: body)
        }
    }

    /// A JSON POST request.
    func request(url: String, headers: HTTPHeaders, body: some Encodable & Sendable, accept: String) throws -> HTTPClientRequest {
        let payload: Data
        do {
            payload = try JSONEncoder().encode(body)
        } catch {
            throw ProviderError(.invalidRequest, provider: self.provider, message: "could not encode the request body")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.headers.replaceOrAdd(name: "content-type", value: "application/json")
        request.headers.replaceOrAdd(name: "accept", value: accept)
        request.body = .bytes(ByteBuffer(bytes: payload))
        return request
    }

    /// Runs one HTTP exchange within `timeout` (head and body), turning transport failures into
    /// ``ProviderError``s; a ``ProviderError`` or `CancellationError` from `operation` passes as it is.
    func exchange<Result: Sendable>(
        timeout: Duration,
        _ operation: @escaping @Sendable (HTTPClient, NIODeadline) async throws -> Result
    ) async throws -> Result {
        let client = self.httpClient
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        do {
            return try await withProviderTimeout(timeout, provider: self.provider) {
                try await operation(client, deadline)
            }
        } catch let error as ProviderError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            try Task.checkCancellation()
            throw self.transportError(error)
        }
    }

    private static let timeoutErrors: [HTTPClientError] = [
        .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout,
        .tlsHandshakeTimeout, .cancelled,
    ]
    private static let configurationErrors: [HTTPClientError] = [.invalidURL, .emptyHost, .emptyScheme]

    private func transportError(_ error: any Error) -> ProviderError {
        if error is NIOTooManyBytesError {
            return ProviderError(
                .malformedResponse, provider: self.provider, message: "response body larger than \(Self.maximumBodySize) bytes")
        }
        if let error = error as? HTTPClientError {
            let name = error.shortDescription
            if Self.timeoutErrors.contains(error) {
                return ProviderError(.timeout, provider: self.provider, message: "the request timed out (\(name))")
            }
            if Self.configurationErrors.contains(error) || name == "Unsupported scheme" {
                return ProviderError(.notConfigured, provider: self.provider, message: "the base URL is not a usable http(s) URL")
            }
            return ProviderError(.connection, provider: self.provider, message: "HTTP transport failed (\(name))")
        }
        return ProviderError(.connection, provider: self.provider, message: "could not reach the provider (\(type(of: error)))")
    }
}
