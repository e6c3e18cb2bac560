import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import OrchestraAPI

extension ProviderTransport {
    /// How a streaming request was answered.
    enum StreamedExchange: Sendable {
        /// The provider streamed its answer; every piece of its text went to `onText`.
        case streamed(LLMResponse)
        /// The provider answered without a stream: an error status (to classify as the
        /// non-streaming call does) or a plain JSON body (a compatible server that ignores
        /// `stream`). Nothing went to `onText`.
        case answered(Response)

        /// The answer: the streamed one, or `decode` of the plain one with its whole text
        /// reported to `onText` at once (so the pieces still concatenate to the answer).
        func answer(
            decodingPlain decode: (Response) throws -> LLMResponse, onText: @Sendable (String) async -> Void
        ) async throws -> LLMResponse {
            switch self {
            case .streamed(let answer):
                return answer
            case .answered(let response):
                let answer = try decode(response)
                if !answer.text.isEmpty { await onText(answer.text) }
                return answer
            }
        }
    }

    /// POSTs `body` as JSON to `url` asking for an event stream, and reads the stream with
    /// `accumulator` as it arrives, passing the answer's text to `onText` piece by piece; the
    /// pieces concatenate to the returned answer's text. The whole exchange is bounded by `timeout`.
    ///
    /// A stream that ends (or is cut) before it is complete throws ``ProviderError/Code/connection``,
    /// which is retried like any transport failure.
    func postStreaming(
        url: String,
        headers: HTTPHeaders,
        body: some Encodable & Sendable,
        timeout: Duration,
        accumulator: some StreamAccumulator,
        onText: @escaping @Sendable (String) async -> Void
    ) async throws -> StreamedExchange {
        let request = try self.request(url: url, headers: headers, body: body, accept: "text/event-stream")
        let provider = self.provider
        return try await self.exchange(timeout: timeout) { client, deadline in
            let response = try await client.execute(request, deadline: deadline)
            let status = Int(response.status.code)
            let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
            guard (200..<300).contains(status), !contentType.hasPrefix("application/json") else {
                let body = try await response.body.collect(upTo: Self.maximumBodySize)
                return .answered(Response(status: status, headers: response.headers, body: body))
            }
            var reader = StreamReader(provider: provider, accumulator: accumulator)
            for try await chunk in response.body {
                for text in try reader.feed(chunk.readableBytesView) {
                    await onText(text)
                }
            }
            let (answer, unreported) = try reader.finish()
            if let unreported { await onText(unreported) }
            return .streamed(answer)
        }
    }
}

/// The bookkeeping of one streamed answer: parsing, the accumulator, and how much text was
/// reported, so the reported pieces always add up to the answer.
private struct StreamReader<Accumulator: StreamAccumulator> {
    let provider: String
    var accumulator: Accumulator
    var parser = ServerSentEventParser(maximumEventSize: ProviderTransport.maximumBodySize)
    var reportedBytes = 0

    init(provider: String, accumulator: Accumulator) {
        self.provider = provider
        self.accumulator = accumulator
    }

    /// The text pieces a chunk of the stream adds.
    mutating func feed(_ bytes: ByteBufferView) throws(ProviderError) -> [String] {
        let events: [ServerSentEvent]
        do {
            events = try parser.feed(bytes)
        } catch {
            throw ProviderError(.malformedResponse, provider: provider, message: "the stream sent \(error)")
        }
        var pieces: [String] = []
        for event in events where !accumulator.isComplete {
            let text = try accumulator.consume(event)
            guard !text.isEmpty else { continue }
            reportedBytes += text.utf8.count
            guard reportedBytes <= ProviderTransport.maximumBodySize else {
                throw ProviderError(
                    .malformedResponse, provider: provider, message: "answer larger than \(ProviderTransport.maximumBodySize) bytes")
            }
            pieces.append(text)
        }
        return pieces
    }

    /// The answer at the end of the body, and the end of its text not reported yet (an answer
    /// taken from elsewhere than the streamed text, such as a refusal).
    func finish() throws(ProviderError) -> (LLMResponse, unreported: String?) {
        guard accumulator.isComplete || accumulator.isFinished else {
            throw ProviderError(.connection, provider: provider, message: "the stream ended before the answer was complete")
        }
        let answer = try accumulator.response()
        let text = answer.text.utf8
        guard text.count > reportedBytes else { return (answer, nil) }
        return (answer, String(decoding: text.dropFirst(reportedBytes), as: UTF8.self))
    }
}
