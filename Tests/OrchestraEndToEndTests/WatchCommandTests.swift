import Foundation
import OrchestraAPI
import OrchestraProviderTestSupport
import Testing

/// `orchestra watch` and `orchestra submit --watch` as a user runs them, output to a pipe (plain lines).
@Suite("End to end: orchestra watch", .serialized, .timeLimit(.minutes(10)))
struct WatchCommandTests {
    /// Runs `orchestra` with `arguments` to its end; returns its exit status and standard output.
    static func run(_ arguments: [String], input: String? = nil) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Cluster.executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ORCHESTRA_EXIT_WITH_PARENT"] = "1"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
        try process.run()
        // Read while it runs, so a full pipe never blocks it.
        let reader = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        var statuses = exited.stream.makeAsyncIterator()
        let status = await statuses.next() ?? -1
        return (status, String(decoding: await reader.value, as: UTF8.self))
    }

    /// The text of `agent`'s token lines (`agent ▸ "<JSON string>"`).
    static func tokens(of agent: String, in output: String) throws -> String {
        try output.split(separator: "\n").filter { $0.hasPrefix("\(agent) ▸ ") }.map { line in
            try JSONValue.parse(String(line.dropFirst("\(agent) ▸ ".count))).stringValue ?? ""
        }.joined()
    }

    @Test("plain output: a line per state change, the tokens as they arrive, a summary; exit 0 on completion")
    func plainWatch() async throws {
        try await withCluster(environment: ["ECHO_LATENCY_MS": "300"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            try cluster.startWorker()
            let id = try await gateway.submit(EventStreamTests.graph)
            let (status, output) = try await Self.run(["watch", id, "--gateway", gateway.baseURL])
            #expect(status == 0)
            let lines = output.split(separator: "\n").map(String.init)
            #expect(lines.first == "workflow \(id) submitted (4 tasks)")
            #expect(lines.last?.hasPrefix("workflow \(id) completed: 4 completed, 0 failed of 4 tasks; ") == true)
            let final = try await gateway.status(id)
            for task in final.tasks {
                let agent = task.agentId
                #expect(lines.contains("\(agent): queued"))
                #expect(lines.contains("\(agent): started (attempt 1)"))
                #expect(try Self.tokens(of: agent, in: output) == task.result?["output"]?["message"]?.stringValue)
                let started = try #require(lines.firstIndex(of: "\(agent): started (attempt 1)"))
                let completed = try #require(lines.firstIndex { $0.hasPrefix("\(agent): completed") })
                let tokenLines = lines.indices.filter { lines[$0].hasPrefix("\(agent) ▸ ") }
                #expect(tokenLines.allSatisfy { $0 > started && $0 < completed })
            }
            // c starts only after a and b completed.
            let cStarted = try #require(lines.firstIndex(of: "c: started (attempt 1)"))
            #expect(lines.firstIndex { $0.hasPrefix("a: completed") } ?? .max < cStarted)
        }
    }

    @Test("submit --watch exits non-zero when the workflow fails")
    func failedWorkflowExitsNonZero() async throws {
        try await LoopbackProviderServer.with([StubResponse(status: 400, body: OpenAIFixtures.badRequest)]) { _, baseURL in
            try await withCluster(environment: ["OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-test"]) { cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                try cluster.startWorker()
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString).json")
                try Data(
                    #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "backend", "input_data": {"task": "x"}, "llm_model": "gpt-4o"}]}"#
                        .utf8
                ).write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                let (status, output) = try await Self.run(["submit", file.path, "--watch", "--gateway", gateway.baseURL])
                #expect(status != 0)
                #expect(output.contains("a: failed: openai: invalid_request (HTTP 400)"))
                #expect(output.split(separator: "\n").contains { $0.contains("failed: 0 completed, 1 failed of 1 tasks") })
            }
        }
    }
}
