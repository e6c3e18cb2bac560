import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OrchestraAPI

/// Plain HTTP against a gateway process, as any client sees it.
struct GatewayHTTP: Sendable {
    let baseURL: String

    init(_ member: Cluster.Member) {
        self.baseURL = member.baseURL ?? ""
    }

    init(baseURL: String) {
        self.baseURL = baseURL
    }

    struct Reply: Sendable {
        var status: Int
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
    }

    func request(_ method: HTTPMethod, _ path: String, json: String? = nil, headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        var body = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), body: Data(body.readBytes(length: body.readableBytes) ?? []))
    }

    /// Submits a workflow and returns its id (the submission must be accepted).
    func submit(_ json: String) async throws -> String {
        let reply = try await request(.POST, "/run-graph", json: json)
        guard reply.status == 200 else { throw ClusterError("submit answered \(reply.status): \(reply.text)") }
        return try reply.decode(WorkflowStatus.self).workflowId
    }

    func status(_ id: String) async throws -> WorkflowStatus {
        let reply = try await request(.GET, "/status/\(id)")
        guard reply.status == 200 else { throw ClusterError("status answered \(reply.status): \(reply.text)") }
        return try reply.decode(WorkflowStatus.self)
    }

    /// Long-polls until the workflow is terminal.
    func waitForTerminal(_ id: String, timeout: Duration = .seconds(60)) async throws -> WorkflowStatus {
        let deadline = ContinuousClock.now + timeout
        while true {
            let reply = try await request(.GET, "/status/\(id)?wait=5")
            guard reply.status == 200 else { throw ClusterError("status answered \(reply.status): \(reply.text)") }
            let status = try reply.decode(WorkflowStatus.self)
            if status.status.isTerminal { return status }
            guard ContinuousClock.now < deadline else { throw ClusterError("workflow \(id) still \(status.status) after \(timeout)") }
        }
    }

    /// Polls until `condition` holds for the workflow's status.
    func waitUntil(_ id: String, timeout: Duration = .seconds(30), _ condition: (WorkflowStatus) -> Bool) async throws -> WorkflowStatus {
        let deadline = ContinuousClock.now + timeout
        while true {
            let status = try await status(id)
            if condition(status) { return status }
            guard ContinuousClock.now < deadline else { throw ClusterError("workflow \(id) never reached the expected state") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
