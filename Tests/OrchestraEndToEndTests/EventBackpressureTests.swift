import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OrchestraAPI
import OrchestraProviderTestSupport
import OrchestraTestSupport
import Synchronization
import Testing

/// A client that stops reading must not make the gateway hold its stream: the gateway reads a
/// subscriber's events from Redis at the pace its socket takes them (API.md §6, issue: bounds).
@Suite("End to end: a stalled event reader", .serialized, .timeLimit(.minutes(10)))
struct EventBackpressureTests {
    /// Tasks of the workflow and the size of each answer: a ~19 MiB event stream (every answer is
    /// in a `task.token` and a `task.completed` event), well beyond what the kernel's socket
    /// buffers take (a few MiB per connection).
    static let taskCount = 600
    static let answer = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 360)
    static let stalledReaders = 4

    @Test("subscribers that stop reading a 19 MiB stream do not grow the gateway's memory; other readers are served")
    func stalledReadersDoNotGrowMemory() async throws {
        var stub = StubResponse(body: OpenAIFixtures.success(text: Self.answer))
        stub.streams = false  // one piece per answer: one token event of the whole text
        try await LoopbackProviderServer.with([stub]) { _, baseURL in
            let environment = ["OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-test", "WORKER_CONCURRENCY": "64"]
            try await withCluster(environment: environment) { cluster in
                let member = try await cluster.startGateway()
                let gateway = GatewayHTTP(member)
                let port = try #require(URL(string: gateway.baseURL)?.port)
                try cluster.startWorker()
                let tasks = (0..<Self.taskCount).map {
                    #"{"agent_id": "t\#($0)", "agent_role": "backend", "input_data": {"task": "x"}, "llm_model": "gpt-4o-mini"}"#
                }
                let id = try await gateway.submit(#"{"workflow_type": "parallel", "tasks": [\#(tasks.joined(separator: ","))]}"#)
                let done = try await gateway.waitUntil(id, timeout: .seconds(120)) { $0.status.isTerminal }
                #expect(done.status == .completed)
                let path = "/workflows/\(id)/events"

                // Served once in full: the stream's size, and the gateway's memory after serving it.
                let size = try await Self.readToEnd(gateway.baseURL + path)
                #expect(size > 18 << 20, "the stream is \(size) bytes")
                let baseline = try #require(ProcessMemory.residentBytes(pid: member.pid))

                // Readers that never read: each has the gateway's data waiting in its socket.
                let stalled = try (0..<Self.stalledReaders).map { _ in try StalledReader(port: port, path: path) }
                defer { stalled.forEach { $0.close() } }
                let deadline = ContinuousClock.now + .seconds(30)
                while stalled.contains(where: { $0.pendingBytes < 1024 }) {
                    guard ContinuousClock.now < deadline else { throw ClusterError("the stalled readers received nothing") }
                    try await Task.sleep(for: .milliseconds(20))
                }
                // A normal reader meanwhile: served in full. A gateway that read ahead for the
                // stalled ones would have read their whole streams by the time this one ends (the
                // same reads, without waiting for a socket).
                var peak = baseline
                let finished = Flag()
                let again = Task {
                    defer { finished.set() }
                    return try await Self.readToEnd(gateway.baseURL + path)
                }
                while !finished.isSet {
                    peak = max(peak, try #require(ProcessMemory.residentBytes(pid: member.pid)))
                    try await Task.sleep(for: .milliseconds(50))  // the sampling interval
                }
                #expect(try await again.value == size)
                peak = max(peak, try #require(ProcessMemory.residentBytes(pid: member.pid)))
                let growth = peak - baseline
                // Each stalled reader holds at most one read of 64 events (~1 MiB of answers, a
                // few copies); buffering their streams would take about four streams' worth (less
                // what the kernel's socket buffers hold): more than one stream's size in any case.
                print(
                    "stalled readers: \(Self.stalledReaders) on a \(size >> 20) MiB stream; gateway RSS \(baseline >> 20) MiB → peak \(peak >> 20) MiB"
                )
                #expect(growth < size, "the gateway grew by \(growth >> 20) MiB")
            }
        }
    }

    /// Reads an event stream to its end and returns its size in bytes.
    static func readToEnd(_ url: String) async throws -> Int {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(120))
        guard response.status == .ok else { throw ClusterError("events answered \(response.status)") }
        var size = 0
        for try await chunk in response.body { size += chunk.readableBytes }
        return size
    }
}

/// A flag set once, read from any task.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
