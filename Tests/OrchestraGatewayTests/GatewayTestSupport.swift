import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OrchestraAPI
import OrchestraConfig
import OrchestraGateway
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import ServiceLifecycle
import Testing

/// A gateway serving on 127.0.0.1 (port 0) with its own key prefix, run with its Redis client in a
/// `ServiceGroup`, plus helpers to call it over real HTTP and inspect Redis.
struct GatewayFixture: Sendable {
    let baseURL: String
    let configuration: OrchestraConfiguration
    /// The client the gateway uses.
    let redis: RedisClient
    let group: ServiceGroup

    /// Runs `body` against a fresh gateway, then shuts it down gracefully.
    static func run(
        configure: (inout OrchestraConfiguration) -> Void = { _ in },
        redis customRedis: RedisClient? = nil,
        waitUntilReady: Bool = true,
        _ body: (GatewayFixture) async throws -> Void
    ) async throws {
        var configuration = OrchestraConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.keyPrefix = String(TestRedis.uniquePrefix("gw").dropLast())
        configure(&configuration)
        let redis = try customRedis ?? TestRedis.client()
        let logger = Logger(label: "gateway-test") { _ in SwiftLogNoOpLogHandler() }
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let gateway = GatewayServer(
            configuration: configuration, redis: redis, models: try ModelCatalog(providers: ["echo"]), logger: logger,
            onListening: { port in portContinuation.yield(port) })
        let group = ServiceGroup(configuration: .init(services: [redis, gateway], logger: logger))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portContinuation.finish() }
                try await group.run()
            }
            guard let port = await ports.first(where: { _ in true }) else {
                try await tasks.waitForAll()
                throw TestSupportError("the gateway stopped before listening")
            }
            let fixture = GatewayFixture(baseURL: "http://127.0.0.1:\(port)", configuration: configuration, redis: redis, group: group)
            if waitUntilReady { try await fixture.waitUntilReady() }
            var failure: (any Error)?
            do { try await body(fixture) } catch { failure = error }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            if let failure { throw failure }
        }
    }

    /// The key schema in use.
    var keys: KeySchema { configuration.schedulerSettings.keys }

    /// Returns once the gateway's `/metrics` shows `count` long-polls waiting: the explicit signal
    /// that a `?wait=` request is in place (instead of a pause).
    func waitForLongPolls(_ count: Int, within limit: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + limit
        while true {
            let text = String(decoding: try await request(.GET, "/metrics").body, as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix("orchestra_gateway_long_polls ") }
            if let value = line?.split(separator: " ").last.flatMap({ Double($0) }), Int(value) == count { return }
            guard ContinuousClock.now < deadline else { throw TestSupportError("\(count) long-poll(s) never waited") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits until `/ready` answers 200 (the gateway checked the layout in Redis).
    func waitUntilReady(within limit: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + limit
        // `Connection: close`, so the wait leaves no idle connection behind (tests count them).
        while try await request(.GET, "/ready", headers: [("Connection", "close")]).status != 200 {
            guard ContinuousClock.now < deadline else { throw TestSupportError("the gateway did not become ready") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    // MARK: HTTP

    /// Sends a request; `body` is sent as given (with a Content-Length unless `chunked`).
    func request(
        _ method: HTTPMethod,
        _ path: String,
        body: String? = nil,
        chunked: Bool = false,
        headers: [(String, String)] = []
    ) async throws -> HTTPResult {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            if request.headers["Content-Type"].isEmpty { request.headers.add(name: "Content-Type", value: "application/json") }
            let bytes = Array(body.utf8)
            request.body = chunked ? .bytes(bytes, length: .unknown) : .bytes(ByteBuffer(bytes: bytes))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(90))
        let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return HTTPResult(status: Int(response.status.code), headers: response.headers, body: Array(buffer: collected))
    }

    /// `POST /run-graph` with `body`.
    func submit(_ body: String, headers: [(String, String)] = []) async throws -> HTTPResult {
        try await request(.POST, "/run-graph", body: body, headers: headers)
    }

    // MARK: Redis

    /// Every key under this gateway's prefix (SCAN, so it is safe on a shared server), but the
    /// layout record every process writes at start (`<prefix>:meta`).
    func storedKeys() async throws -> [String] {
        var cursor = "0"
        var found: [String] = []
        repeat {
            let reply = try await redis.send("SCAN", RedisArgument(cursor), "MATCH", RedisArgument(keys.prefix + ":*"), "COUNT", 1000)
            let parts = try reply.decodeArray()
            cursor = try parts[0].decodeString()
            found += try parts[1].decodeArray().map { try $0.decodeString() }
        } while cursor != "0"
        return found.filter { $0 != keys.meta }
    }

    /// A queue acting as worker `worker` on this gateway's keys.
    func queue(worker: String = "worker-a") -> TaskQueue {
        TaskQueue(redis: redis, settings: configuration.schedulerSettings, workerID: worker, leaseDuration: .seconds(30))
    }

    /// Claims the next ready task of `workflowID`'s shard.
    func claim(_ queue: TaskQueue, workflowID: String) async throws -> ClaimedTask {
        let shard = keys.shard(keys.shard(of: workflowID))
        guard let ref = try await queue.waitForReady(in: shard, block: .seconds(1)),
            let task = try await queue.claim(refs: [ref], in: shard).first
        else {
            throw TestSupportError("no ready task in the shard of \(workflowID)")
        }
        return task
    }

    /// A completion with an answer from `provider`/`model`.
    static func answer(
        _ text: String, provider: String = "echo", model: String = "echo", prompt: Int? = nil, completion: Int? = nil
    ) -> TaskQueue.Completion {
        .answer(TaskAnswer(output: text, provider: provider, model: model, promptTokens: prompt, completionTokens: completion))
    }
}

/// A response as the tests see it.
struct HTTPResult: Sendable, CustomStringConvertible {
    let status: Int
    let headers: HTTPHeaders
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> JSONValue { try JSONValue.parse(Data(body)) }

    /// The first value of header `name`.
    func header(_ name: String) -> String? { headers.first(name: name) }

    var description: String { "\(status) \(text.prefix(2000))" }
}

/// Request bodies used across tests.
enum Bodies {
    /// A task object as JSON text.
    static func task(_ id: String, role: String = "backend", dependsOn: [String]? = nil, extra: String = "") -> String {
        let deps = dependsOn.map { ", \"depends_on\": [" + $0.map { "\"\($0)\"" }.joined(separator: ", ") + "]" } ?? ""
        return #"{"agent_id": "\#(id)", "agent_role": "\#(role)", "input_data": {"task": "do \#(id)"}\#(deps)\#(extra)}"#
    }

    /// A workflow body; `id` `nil` leaves `workflow_id` out.
    static func workflow(_ id: String?, type: String = "parallel", tasks: [String], metadata: String = "{}") -> String {
        let idField = id.map { "\"workflow_id\": \"\($0)\", " } ?? ""
        return #"{\#(idField)"workflow_type": "\#(type)", "tasks": [\#(tasks.joined(separator: ", "))], "metadata": \#(metadata)}"#
    }
}
