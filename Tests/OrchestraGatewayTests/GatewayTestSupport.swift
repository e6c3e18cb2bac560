import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
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

/// A gateway with its own key prefix, plus helpers to call it and inspect Redis. ``run(configure:redis:waitUntilReady:_:)``
/// serves it on 127.0.0.1 (port 0) as the `orchestra gateway` command does, with its Redis client in
/// a `ServiceGroup`, and calls it over real HTTP; ``routes(configure:_:)`` drives the application
/// (``GatewayServer/buildApplication()``) through HummingbirdTesting's router framework, without a
/// socket, for tests of what routes answer.
struct GatewayFixture: Sendable {
    /// `http://127.0.0.1:<port>`; empty when driven through the router.
    let baseURL: String
    let configuration: OrchestraConfiguration
    /// The client the gateway uses.
    let redis: RedisClient
    /// The group serving the gateway; `nil` when driven through the router.
    let group: ServiceGroup?
    /// HummingbirdTesting's client when driven through the router.
    var router: (any TestClientProtocol)? = nil

    /// Runs `body` against a fresh gateway, then shuts it down gracefully.
    static func run(
        configure: (inout OrchestraConfiguration) -> Void = { _ in },
        redis customRedis: RedisClient? = nil,
        waitUntilReady: Bool = true,
        _ body: (GatewayFixture) async throws -> Void
    ) async throws {
        let configuration = Self.configuration(configure)
        let redis = try customRedis ?? TestRedis.client()
        let logger = Self.logger
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

    /// Runs `body` against the gateway's application through HummingbirdTesting's router framework:
    /// the same router, middleware and background services as ``run(configure:redis:waitUntilReady:_:)``
    /// but no HTTP connection (so no connection guard, WebSocket upgrade or graceful shutdown).
    static func routes(
        configure: (inout OrchestraConfiguration) -> Void = { _ in },
        _ body: @Sendable (GatewayFixture) async throws -> Void
    ) async throws {
        let configuration = Self.configuration(configure)
        let redis = try TestRedis.client()
        defer { redis.shutdown() }
        let gateway = GatewayServer(
            configuration: configuration, redis: redis, models: try ModelCatalog(providers: ["echo"]), logger: logger)
        try await gateway.buildApplication().test(.router) { client in
            let fixture = GatewayFixture(baseURL: "", configuration: configuration, redis: redis, group: nil, router: client)
            try await fixture.waitUntilReady()
            try await body(fixture)
        }
    }

    /// The test configuration: loopback, any free port, a key prefix of its own.
    private static func configuration(_ configure: (inout OrchestraConfiguration) -> Void) -> OrchestraConfiguration {
        var configuration = OrchestraConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.keyPrefix = String(TestRedis.uniquePrefix("gw").dropLast())
        // No drain before shutdown (3 s by default, for load balancers): nothing here balances load,
        // and every test would wait it out. The drain is tested end to end (OperationsTests).
        configuration.gatewayDrainSeconds = 0
        configure(&configuration)
        return configuration
    }

    private static let logger = Logger(label: "gateway-test") { _ in SwiftLogNoOpLogHandler() }

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
        if let router { return try await Self.request(method, path, body: body, headers: headers, through: router) }
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

    /// The same request through HummingbirdTesting's router client.
    private static func request(
        _ method: HTTPMethod, _ path: String, body: String?, headers: [(String, String)], through client: any TestClientProtocol
    ) async throws -> HTTPResult {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let field = HTTPField.Name(name) else { throw TestSupportError("bad header name \(name)") }
            fields.append(HTTPField(name: field, value: value))
        }
        if body != nil, fields[.contentType] == nil { fields[.contentType] = "application/json" }
        guard let routerMethod = HTTPRequest.Method(rawValue: method.rawValue) else {
            throw TestSupportError("bad method \(method.rawValue)")
        }
        let response = try await client.execute(
            uri: path, method: routerMethod, headers: fields,
            body: body.map { ByteBuffer(string: $0) })
        return HTTPResult(
            status: Int(response.status.code), headers: HTTPHeaders(response.headers.map { ($0.name.rawName, $0.value) }),
            body: Array(buffer: response.body))
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
