import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraProviderTestSupport
import OrchestraRedis
import OrchestraTestSupport
import Testing

/// The whole product as users run it: real gateway and worker processes on a real redis-server.
@Suite("End to end: real gateway and worker processes", .serialized, .timeLimit(.minutes(10)))
struct ClusterTests {
    @Test("the seed's examples, run by `orchestra examples`, complete in the documented order")
    func seedExamples() async throws {
        try await withCluster(environment: ["ECHO_LATENCY_MS": "300"]) { cluster in
            let gateway = try await cluster.startGateway()
            try cluster.startWorker()
            try cluster.startWorker()

            try await Self.runExamples(on: GatewayHTTP(gateway))
        }
    }

    /// Runs `orchestra examples` against `gateway` and checks the four workflows it submits:
    /// all completed, the graph's, sequence's and parallel tasks in their documented order.
    static func runExamples(on gateway: GatewayHTTP) async throws {
        let exit = try await runCommand(["examples", "--gateway", gateway.baseURL])
        #expect(exit == 0)

        let reply = try await gateway.request(.GET, "/workflows?limit=10")
        let workflows = try reply.decode([WorkflowStatus].self)
        try #require(workflows.count == 4)
        #expect(workflows.allSatisfy { $0.status == .completed })

        let graph = try #require(workflows.first { $0.workflowType == .graph })
        let task = Dictionary(uniqueKeysWithValues: graph.tasks.map { ($0.agentId, $0) })
        let (one, two, three, four) = (task["1"]!, task["2"]!, task["3"]!, task["4"]!)
        #expect(one.startedAt! < two.completedAt! && two.startedAt! < one.completedAt!, "1 and 2 overlap")
        #expect(three.startedAt! >= one.completedAt! && three.startedAt! >= two.completedAt!, "3 after 1 and 2")
        #expect(four.startedAt! >= three.completedAt!, "4 after 3")
        #expect(three.result?["output"]?["message"]?.stringValue?.contains("Inputs from: 1, 2") == true)

        let sequential = try #require(workflows.first { $0.workflowType == .sequential && $0.tasks.count == 3 })
        for (previous, next) in zip(sequential.tasks, sequential.tasks.dropFirst()) {
            #expect(next.startedAt! >= previous.completedAt!)
            #expect(next.result?["output"]?["message"]?.stringValue?.contains("Inputs from: \(previous.agentId)") == true)
        }
        let parallel = try #require(workflows.first { $0.workflowType == .parallel })
        let lastStart = parallel.tasks.map { $0.startedAt! }.max()!
        let firstEnd = parallel.tasks.map { $0.completedAt! }.min()!
        #expect(lastStart < firstEnd, "all three parallel tasks ran at once")
    }

    @Test("two gateways and three workers share one Redis: submit on one, read on the other")
    func anyGatewayServesAnyWorkflow() async throws {
        try await withCluster { cluster in
            let first = GatewayHTTP(try await cluster.startGateway())
            let second = GatewayHTTP(try await cluster.startGateway())
            for _ in 0..<3 { try cluster.startWorker() }

            var ids: [String] = []
            for index in 0..<6 {
                ids.append(try await first.submit(Self.parallelWorkflow(tasks: 5, tag: index)))
            }
            for id in ids {
                let status = try await second.waitForTerminal(id)
                #expect(status.status == .completed)
                #expect(status.tasks.allSatisfy { $0.result?["provider"]?.stringValue == "echo" })
            }
            let listed = try await second.request(.GET, "/workflows?status=completed&limit=100").decode([WorkflowStatus].self)
            #expect(Set(listed.map(\.workflowId)) == Set(ids))
            #expect(listed.map(\.createdAt) == listed.map(\.createdAt).sorted(by: >), "newest first")
        }
    }

    @Test("kill -9 of the worker holding a task: another worker completes it within a lease and a few seconds")
    func killedWorkerIsRecovered() async throws {
        try await withCluster(environment: ["ECHO_LATENCY_MS": "1500", "TASK_LEASE_SECONDS": "2"]) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            let workers = [try cluster.startWorker(), try cluster.startWorker()]
            let id = try await gateway.submit(Self.parallelWorkflow(tasks: 1, tag: 0))
            let running = try await gateway.waitUntil(id) { $0.tasks[0].status == .running && $0.tasks[0].workerId != nil }
            let holder = try #require(workers.first { running.tasks[0].workerId!.contains("-\($0.pid)-") })

            let killedAt = ContinuousClock.now
            cluster.signal(holder, SIGKILL)
            let finished = try await gateway.waitForTerminal(id, timeout: .seconds(20))
            let recovery = ContinuousClock.now - killedAt

            #expect(finished.status == .completed)
            #expect(finished.tasks[0].workerId?.contains("-\(holder.pid)-") == false, "completed by the other worker")
            #expect(finished.tasks[0].attempts == 2)
            #expect(recovery < .seconds(2 + 1.5 + 4), "lease 2 s + the task's 1.5 s + a few seconds; took \(recovery)")
        }
    }

    @Test("a worker frozen past its lease loses the task; its late completion is rejected")
    func lateCompletionOfAStaleWorkerIsRejected() async throws {
        let environment = ["ECHO_LATENCY_MS": "1000", "TASK_LEASE_SECONDS": "1", "WORKER_HEARTBEAT_SECONDS": "1"]
        try await withCluster(environment: environment) { cluster in
            let gateway = GatewayHTTP(try await cluster.startGateway())
            let stale = try cluster.startWorker()
            let id = try await gateway.submit(Self.parallelWorkflow(tasks: 1, tag: 0))
            _ = try await gateway.waitUntil(id) { $0.tasks[0].status == .running }
            cluster.signal(stale, SIGSTOP)

            let other = try cluster.startWorker()
            let finished = try await gateway.waitForTerminal(id, timeout: .seconds(20))
            #expect(finished.tasks[0].workerId?.contains("-\(other.pid)-") == true)
            let completedAt = finished.tasks[0].completedAt

            // The frozen worker wakes up with its echo answer ready and tries to complete: fenced off.
            // Its registry entry tells when that attempt is over: a heartbeat after it woke with
            // nothing in flight any more.
            let wokeAt = Timestamp.now().millisecondsSinceEpoch
            cluster.signal(stale, SIGCONT)
            try await eventually(within: .seconds(15)) {
                try await OperationsTests.workers(gateway).contains { worker in
                    guard (worker["id"] as? String)?.contains("-\(stale.pid)-") == true,
                        let seen = (worker["last_seen_at"] as? String).flatMap(Timestamp.init(iso8601:))
                    else { return false }
                    return seen.millisecondsSinceEpoch > wokeAt && (worker["in_flight"] as? Int) == 0
                }
            }
            let after = try await gateway.status(id)
            #expect(after.tasks[0].workerId == finished.tasks[0].workerId)
            #expect(after.tasks[0].completedAt == completedAt)
            #expect(after.status == .completed)
        }
    }

    @Test("a failed task fails its dependents with the cause; the workflow ends partial")
    func failureFailsDependents() async throws {
        try await LoopbackProviderServer.with([StubResponse(status: 400, body: OpenAIFixtures.badRequest)]) { server, baseURL in
            try await withCluster(environment: ["OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-test"]) { cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                try cluster.startWorker()
                let id = try await gateway.submit(
                    """
                    {"workflow_type": "graph", "tasks": [
                      {"agent_id": "design", "agent_role": "backend", "input_data": {"task": "Design"}, "llm_model": "gpt-4o"},
                      {"agent_id": "build", "agent_role": "backend", "input_data": {"task": "Build"}, "depends_on": ["design"]},
                      {"agent_id": "review", "agent_role": "qa", "input_data": {"task": "Review"}, "depends_on": ["build"]},
                      {"agent_id": "docs", "agent_role": "frontend", "input_data": {"task": "Docs"}}
                    ]}
                    """)
                let status = try await gateway.waitForTerminal(id)
                #expect(status.status == .partial)
                let task = Dictionary(uniqueKeysWithValues: status.tasks.map { ($0.agentId, $0) })
                #expect(task["design"]?.status == .failed)
                #expect(task["design"]?.error?.isEmpty == false)
                #expect(task["design"]?.attempts == 1, "a 400 is not retried")
                #expect(task["build"]?.status == .failed)
                #expect(task["build"]?.error?.contains("design") == true)
                #expect(task["review"]?.status == .failed)
                #expect(task["review"]?.error?.contains("build") == true)
                #expect(task["docs"]?.status == .completed)
                #expect(server.requests.count == 1)
            }
        }
    }

    @Test("DELETE of a running workflow: nothing of it runs afterwards, then 404")
    func deleteStopsARunningWorkflow() async throws {
        let slow = StubResponse(body: OpenAIFixtures.success, delay: .seconds(1))
        try await LoopbackProviderServer.with([slow]) { server, baseURL in
            try await withCluster(environment: ["OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_API_KEY": "sk-test"]) { cluster in
                let gateway = GatewayHTTP(try await cluster.startGateway())
                try cluster.startWorker()
                let tasks = (1...3).map {
                    #"{"agent_id": "step\#($0)", "agent_role": "backend", "input_data": {"task": "Step \#($0)"}, "llm_model": "gpt-4o"}"#
                }
                let id = try await gateway.submit(#"{"workflow_type": "sequential", "tasks": [\#(tasks.joined(separator: ","))]}"#)
                _ = try await gateway.waitUntil(id) { $0.tasks[0].status == .running }

                let deleted = try await gateway.request(.DELETE, "/workflows/\(id)")
                #expect(deleted.status == 200)
                #expect(deleted.text.contains("Workflow \(id) deleted"))
                #expect(try await gateway.request(.GET, "/status/\(id)").status == 404)
                #expect(try await gateway.request(.DELETE, "/workflows/\(id)").status == 404)

                // A pause in which a task that should never run would reach the provider (an
                // absence has no signal). The running task may be stopped before or after its
                // request left the worker.
                try await Task.sleep(for: .seconds(3))
                #expect(server.requests.count <= 1, "only the task running at DELETE may have reached the provider")
                let redis = try TestRedis.client()
                defer { redis.shutdown() }
                let keys = try await redis.send("KEYS", RedisArgument("\(cluster.keyPrefix)*\(id)*")).decodeArray().map {
                    try $0.decodeString()
                }
                // The record is gone; what stays a while is its event stream, ended by the cancellation.
                #expect(keys.count == 1 && keys[0].hasSuffix(":events:\(id)"), "the record is gone: \(keys)")
                let last = try await redis.send("XREVRANGE", RedisArgument(keys[0]), "+", "-", "COUNT", 1).decodeArray()
                #expect(try last.first?.decodeArray()[1].decodeFieldMap()["type"] == "workflow.cancelled")
            }
        }
    }

    static func parallelWorkflow(tasks: Int, tag: Int) -> String {
        let list = (0..<tasks).map { #"{"agent_id": "t\#($0)", "agent_role": "qa", "input_data": {"task": "Check \#(tag).\#($0)"}}"# }
        return #"{"workflow_type": "parallel", "tasks": [\#(list.joined(separator: ","))], "metadata": {"tag": \#(tag)}}"#
    }
}

/// Runs `orchestra <arguments>` to completion and returns its exit status.
func runCommand(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Cluster.executable)
    process.arguments = arguments
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        if ContinuousClock.now >= deadline {
            process.terminate()
            throw ClusterError("orchestra \(arguments.joined(separator: " ")) did not finish")
        }
        try await Task.sleep(for: .milliseconds(50))
    }
    return process.terminationStatus
}
