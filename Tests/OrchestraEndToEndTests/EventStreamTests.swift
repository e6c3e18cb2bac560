import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OrchestraAPI
import OrchestraRedis
import OrchestraTestSupport
import Testing

/// Live events (API.md §6) from real gateway processes.
@Suite("End to end: live event streams", .serialized, .timeLimit(.minutes(10)))
struct EventStreamTests {
    static let graph = #"""
        {"workflow_type": "graph", "tasks": [
          {"agent_id": "a", "agent_role": "backend", "input_data": {"task": "A"}},
          {"agent_id": "b", "agent_role": "frontend", "input_data": {"task": "B"}},
          {"agent_id": "c", "agent_role": "qa", "input_data": {"task": "C"}, "depends_on": ["a", "b"]},
          {"agent_id": "d", "agent_role": "debugger", "input_data": {"task": "D"}, "depends_on": ["c"]}]}
        """#

    @Test("a graph's events arrive in causal order with increasing ids, nothing missing, ending with the terminal event")
    func causalOrder() async throws {
        try await withCluster(environment: ["ECHO_LATENCY_MS": "150"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            try cluster.startWorker()
            let id = try await gateway.submit(Self.graph)
            let events = try await SSEClient(gateway.baseURL + "/workflows/\(id)/events").collect(until: .seconds(30))
            try Self.checkCausal(events, id: id)
            // Read again after the end: the same events, from Redis.
            let replay = try await SSEClient(gateway.baseURL + "/workflows/\(id)/events").collect(until: .seconds(10))
            #expect(replay.map(\.id) == events.map(\.id))
        }
    }

    @Test("a client reading from gateway A resumes on gateway B after A is killed: no gap, no duplicate")
    func resumeOnAnotherGateway() async throws {
        try await withCluster(environment: ["ECHO_LATENCY_MS": "400"]) { cluster in
            let first = try await cluster.startGateway()
            let second = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            let id = try await second.submit(Self.graph)
            var seen = try await SSEClient(first.baseURL! + "/workflows/\(id)/events").collect(until: .seconds(20)) { events in
                events.contains { $0.type == "task.completed" }
            }
            #expect(!seen.contains { $0.type.hasPrefix("workflow.completed") }, "the stream was cut before its end")
            cluster.signal(first, SIGKILL)
            let rest = try await SSEClient(second.baseURL + "/workflows/\(id)/events", lastEventID: seen.last?.id).collect(
                until: .seconds(30))
            #expect(Set(rest.map(\.id)).isDisjoint(with: seen.map(\.id)), "no duplicate")
            seen += rest
            try Self.checkCausal(seen, id: id)
            let all = try await SSEClient(second.baseURL + "/workflows/\(id)/events").collect(until: .seconds(10))
            #expect(all.map(\.id) == seen.map(\.id), "no gap")
        }
    }

    @Test("a cancelled workflow's stream ends with workflow.cancelled")
    func cancellationEndsTheStream() async throws {
        try await withCluster(environment: ["ECHO_LATENCY_MS": "3000"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            let slow = try await gateway.submit(
                #"{"workflow_type": "sequential", "tasks": [{"agent_id": "a", "agent_role": "qa", "input_data": {"task": "x"}}, {"agent_id": "b", "agent_role": "qa", "input_data": {"task": "y"}}]}"#
            )
            let client = SSEClient(gateway.baseURL + "/workflows/\(slow)/events")
            async let events = client.collect(until: .seconds(20))
            _ = try await gateway.waitUntil(slow) { $0.tasks[0].status == .running }
            #expect(try await gateway.request(.DELETE, "/workflows/\(slow)").status == 200)
            let cancelled = try await events
            #expect(cancelled.last?.type == "workflow.cancelled")
            #expect(cancelled.filter { $0.type.hasPrefix("workflow.") && $0.type != "workflow.submitted" }.count == 1)
        }
    }

    @Test("a delegating coordinator's plan shows as workflow.expanded before the new tasks start")
    func expansionIsAnnounced() async throws {
        try await withCluster(environment: ["ECHO_LATENCY_MS": "100"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            let reply = try await gateway.request(.POST, "/patterns/coordinator-supervised", json: #"{"objective": "Ship a checkout"}"#)
            #expect(reply.status == 200)
            let planned = try reply.decode(WorkflowStatus.self).workflowId
            let stream = try await SSEClient(gateway.baseURL + "/workflows/\(planned)/events").collect(until: .seconds(60))
            #expect(stream.last?.type == "workflow.completed")
            let expanded = try #require(stream.firstIndex { $0.type == "workflow.expanded" })
            let added = Set(stream[expanded].data["agent_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            #expect(!added.isEmpty)
            for (position, event) in stream.enumerated() where event.type == "task.started" {
                if let agent = event.data["agent_id"]?.stringValue, added.contains(agent) {
                    #expect(position > expanded, "\(agent) started before the expansion was announced")
                }
            }
        }
    }

    @Test("with EVENT_STREAM_MAXLEN=0 and CLUSTER_EVENTS_MAXLEN=0 no event is written and the event endpoints answer 501")
    func eventsTurnedOff() async throws {
        let environment = ["ECHO_LATENCY_MS": "100", "EVENT_STREAM_MAXLEN": "0", "CLUSTER_EVENTS_MAXLEN": "0"]
        try await withCluster(environment: environment) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            let id = try await gateway.submit(Self.graph)
            let finished = try await gateway.waitForTerminal(id)
            #expect(finished.status == .completed, "scheduling does not depend on events")
            for path in ["/workflows/\(id)/events", "/events"] {
                let reply = try await gateway.request(.GET, path)
                #expect(reply.status == 501, "\(path)")
                #expect(reply.text.contains("Live events are turned off"))
            }
            let redis = RedisClient(configuration: try RedisConfiguration(url: cluster.redisURL))
            defer { redis.shutdown() }
            let streams = try await redis.send("KEYS", RedisArgument(cluster.keyPrefix + ":*events*")).decodeArray()
            #expect(streams.isEmpty, "no stream was written: \(streams)")
        }
    }

    @Test("GET /events carries every workflow's lifecycle (no tokens), filtered by status and workflow_type")
    func clusterWideStream() async throws {
        try await withCluster(environment: ["ECHO_LATENCY_MS": "50", "ORCHESTRA_SHARDS": "3"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            var ids: [String] = []
            for _ in 0..<4 { ids.append(try await gateway.submit(Self.graph)) }
            for id in ids { _ = try await gateway.waitForTerminal(id) }
            let expected = Set(ids)
            let completed = try await SSEClient(gateway.baseURL + "/events?status=completed&workflow_type=graph").collect(
                until: .seconds(10)
            ) { events in
                Set(events.filter { $0.type == "workflow.completed" }.map { $0.data["workflow_id"]?.stringValue ?? "" }) == expected
            }
            #expect(completed.allSatisfy { $0.type == "workflow.completed" || $0.type == "task.completed" })
            #expect(completed.filter { $0.type == "task.completed" }.count == 16)
            #expect(completed.allSatisfy { $0.data["output"] == nil }, "no outputs in the cluster-wide stream")
            // Resume with the last id: nothing new, then only what comes next.
            let last = try #require(completed.last?.id)
            let next = try await gateway.submit(Self.graph)
            let after = try await SSEClient(gateway.baseURL + "/events?workflow_type=graph", lastEventID: last).collect(
                until: .seconds(10)
            ) { events in events.contains { $0.type == "workflow.completed" } }
            #expect(after.allSatisfy { $0.data["workflow_id"]?.stringValue == next })
            #expect(after.first?.type == "workflow.submitted")
        }
    }

    /// Causal order, strictly increasing ids, every lifecycle event present once, terminal last.
    static func checkCausal(_ events: [SSEClient.Event], id: String) throws {
        #expect(events.first?.type == "workflow.submitted")
        #expect(events.last?.type == "workflow.completed")
        for (previous, next) in zip(events, events.dropFirst()) {
            #expect(streamID(previous.id) < streamID(next.id), "ids increase: \(previous.id) then \(next.id)")
        }
        #expect(events.allSatisfy { $0.data["workflow_id"]?.stringValue == id })
        var completedAt: [String: Int] = [:]
        for (position, event) in events.enumerated() where event.type == "task.completed" {
            completedAt[event.data["agent_id"]?.stringValue ?? ""] = position
        }
        #expect(Set(completedAt.keys) == ["a", "b", "c", "d"])
        let dependencies = ["c": ["a", "b"], "d": ["c"]]
        for (position, event) in events.enumerated() where event.type == "task.started" {
            let agent = event.data["agent_id"]?.stringValue ?? ""
            for dependency in dependencies[agent] ?? [] {
                #expect((completedAt[dependency] ?? .max) < position, "\(agent) started before \(dependency) completed")
            }
        }
        for type in ["task.queued", "task.started", "task.completed"] {
            #expect(events.filter { $0.type == type }.count == 4, "\(type) once per task")
        }
    }

    static func streamID(_ id: String) -> (Int, Int) {
        let parts = id.split(separator: "-").map { Int($0) ?? 0 }
        return (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
    }
}

/// A minimal Server-Sent Events reader over AsyncHTTPClient, for tests.
struct SSEClient: Sendable {
    struct Event: Sendable {
        var id: String
        var type: String
        var data: JSONValue
    }

    let url: String
    var lastEventID: String?

    init(_ url: String, lastEventID: String? = nil) {
        self.url = url
        self.lastEventID = lastEventID
    }

    /// Reads events until the server ends the stream, `enough` holds, or `limit` passes (then it
    /// fails unless `enough` was given and held).
    func collect(until limit: Duration, enough: (@Sendable ([Event]) -> Bool)? = nil) async throws -> [Event] {
        var request = HTTPClientRequest(url: url)
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(limit.components.seconds) + 5))
        guard response.status == .ok else { throw ClusterError("events answered \(response.status)") }
        var events: [Event] = []
        var pending = ""
        var current: (id: String?, type: String?, data: String) = (nil, nil, "")
        let deadline = ContinuousClock.now + limit
        for try await chunk in response.body {
            pending += String(buffer: chunk)
            while let newline = pending.firstIndex(of: "\n") {
                let line = String(pending[..<newline])
                pending = String(pending[pending.index(after: newline)...])
                if line.isEmpty {
                    if let type = current.type, !current.data.isEmpty {
                        events.append(Event(id: current.id ?? "", type: type, data: try JSONValue.parse(Data(current.data.utf8))))
                    }
                    current = (nil, nil, "")
                } else if line.hasPrefix("id: ") {
                    current.id = String(line.dropFirst(4))
                } else if line.hasPrefix("event: ") {
                    current.type = String(line.dropFirst(7))
                } else if line.hasPrefix("data: ") {
                    current.data += String(line.dropFirst(6))
                }
            }
            if let enough, enough(events) { return events }
            if ContinuousClock.now > deadline { throw ClusterError("the event stream did not end within \(limit)") }
        }
        return events
    }
}
