public import AsyncHTTPClient
public import Foundation
public import NIOCore
public import NIOHTTP1
public import OrchestraAPI

/// A small REST client of the gateway, for the CLI's operator commands, the examples and the
/// benchmarks. It speaks exactly the public API (API.md), nothing private.
public struct GatewayClient: Sendable {
    public let baseURL: String
    let apiKey: String?
    let httpClient: HTTPClient

    public init(baseURL: String, apiKey: String?, httpClient: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.httpClient = httpClient
    }

    /// An HTTP answer: status and body bytes.
    public struct Reply: Sendable {
        public var status: Int
        public var body: Data

        public var json: JSONValue? { try? JSONValue.parse(body) }
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The gateway answered with an unexpected status.
    public struct Failure: Error, CustomStringConvertible {
        public var status: Int
        public var body: String
        public init(status: Int, body: String) {
            self.status = status
            self.body = body
        }

        public var description: String { "gateway answered \(status): \(body)" }
    }

    public func request(_ method: HTTPMethod, _ path: String, body: Data? = nil, timeout: TimeAmount = .seconds(90)) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let apiKey { request.headers.add(name: "X-API-Key", value: apiKey) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await httpClient.execute(request, timeout: timeout)
        var buffer = try await response.body.collect(upTo: 64 << 20)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        return Reply(status: Int(response.status.code), body: Data(bytes))
    }

    /// Submits a workflow body (`POST /run-graph`) and returns the accepted status.
    public func submit(_ body: Data) async throws -> WorkflowStatus {
        let reply = try await request(.POST, "/run-graph", body: body)
        guard reply.status == 200 else { throw Failure(status: reply.status, body: reply.text) }
        return try JSONDecoder().decode(WorkflowStatus.self, from: reply.body)
    }

    /// `GET /status/{id}`, long-polling up to `wait` seconds for a terminal status when given.
    public func status(_ id: String, wait: Int? = nil) async throws -> WorkflowStatus {
        let query = wait.map { "?wait=\($0)" } ?? ""
        let reply = try await request(.GET, "/status/\(id)\(query)")
        guard reply.status == 200 else { throw Failure(status: reply.status, body: reply.text) }
        return try JSONDecoder().decode(WorkflowStatus.self, from: reply.body)
    }

    /// Waits until workflow `id` is terminal (or `timeout` passes) and returns its last status.
    public func waitForCompletion(_ id: String, timeout: Duration = .seconds(300)) async throws -> WorkflowStatus {
        let deadline = ContinuousClock.now + timeout
        while true {
            let status = try await status(id, wait: 30)
            if status.status.isTerminal || ContinuousClock.now >= deadline { return status }
        }
    }

    /// Waits until `GET /health` answers 200.
    /// Waits until the gateway serves workflows (`/ready` answers 200).
    public func waitUntilHealthy(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let reply = try? await request(.GET, "/ready", timeout: .seconds(2)), reply.status == 200 { return }
            guard ContinuousClock.now < deadline else { throw Failure(status: 0, body: "the gateway at \(baseURL) did not become healthy") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

extension GatewayClient {
    /// Submits every body with `POST /run-graph` over `lanes` concurrent connections (each must be
    /// accepted); the latency of each, in ms. For the benchmarks.
    public func submitAll(_ bodies: [Data], lanes: Int) async throws -> [Double] {
        try await post(bodies, to: "/run-graph", lanes: lanes) { _ in true }
    }

    /// Submits every body with `POST /run-graph/batch`, `batchSize` to a request, over `lanes`
    /// concurrent connections (each workflow must be accepted); the latency of each request, in ms.
    public func submitAll(_ bodies: [Data], batchSize: Int, lanes: Int) async throws -> [Double] {
        let batches = stride(from: 0, to: bodies.count, by: batchSize).map { start in
            Data("[".utf8) + Data(bodies[start..<min(start + batchSize, bodies.count)].joined(separator: Data(",".utf8))) + Data("]".utf8)
        }
        // A batch answers 200 with one answer per workflow: its status, or for one refused a `detail`.
        return try await post(batches, to: "/run-graph/batch", lanes: lanes) { reply in
            guard let answers = (try? JSONValue.parse(reply.body))?.arrayValue else { return false }
            return answers.allSatisfy { $0.objectValue != nil && $0["detail"] == nil }
        }
    }

    /// Posts every body on `lanes` connections; each must answer 200 and pass `accepted`.
    private func post(
        _ bodies: [Data], to path: String, lanes: Int, accepted: @escaping @Sendable (Reply) -> Bool
    ) async throws -> [Double] {
        try await withThrowingTaskGroup(of: [Double].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var latencies: [Double] = []
                    for index in stride(from: lane, to: bodies.count, by: lanes) {
                        let started = ContinuousClock.now
                        let reply = try await request(.POST, path, body: bodies[index])
                        guard reply.status == 200, accepted(reply) else {
                            throw Failure(status: reply.status, body: String(reply.text.prefix(500)))
                        }
                        latencies.append((ContinuousClock.now - started).seconds * 1000)
                    }
                    return latencies
                }
            }
            var all: [Double] = []
            for try await latencies in group { all += latencies }
            return all
        }
    }
}
