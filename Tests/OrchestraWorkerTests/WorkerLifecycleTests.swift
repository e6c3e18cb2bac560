import Foundation
import Logging
import OrchestraAgents
import OrchestraProviders
import OrchestraScheduler
import OrchestraTestSupport
import ServiceLifecycle
import Testing

@testable import OrchestraAPI
@testable import OrchestraConfig
@testable import OrchestraWorker

@Suite("Worker: lifecycle", .timeLimit(.minutes(5)))
struct WorkerLifecycleTests {
    @Test func aServiceGroupsGracefulShutdownStopsTheWorkerAfterItsTasks() async throws {
        let fixture = try WorkerFixture()
        let worker = try fixture.worker(providers: ProviderRegistry(providers: [EchoProvider(latency: .milliseconds(300))]))
        var logger = Logger(label: "test.group")
        logger.logLevel = .critical
        let group = ServiceGroup(services: [worker], gracefulShutdownSignals: [], logger: logger)
        let id = try await fixture.submit(.parallel, [agent("a", "t"), agent("b", "u")])
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await fixture.waitUntil(id) { $0?.tasks.allSatisfy { $0.status == "running" } == true }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let workflow = try #require(try await fixture.store.workflow(id))
        #expect(workflow.status == "completed")
        #expect(workflow.tasks.map(\.attempts) == [1, 1])
    }

    @Test func workerIDsNameTheHostAndProcessAndDiffer() {
        let first = WorkerIdentity.generate()
        let second = WorkerIdentity.generate()
        #expect(first != second)
        let parts = first.split(separator: "-")
        #expect(parts.count >= 3)
        #expect(parts.last?.count == 6 && parts.last?.allSatisfy(\.isHexDigit) == true)
        #expect(parts.dropLast().last == "\(ProcessInfo.processInfo.processIdentifier)")
        #expect(!first.contains(" ") && !first.contains("|"))
    }

    @Test func theDefaultNumberOfClaimLoopsBoundsBlockingConnections() {
        let tuning = WorkerTuning()
        #expect(tuning.loopsPerShard(shardCount: 1) == 4)
        #expect(tuning.loopsPerShard(shardCount: 4) == 4)
        #expect(tuning.loopsPerShard(shardCount: 8) == 2)
        #expect(tuning.loopsPerShard(shardCount: 64) == 1)
        var fixed = WorkerTuning()
        fixed.claimLoopsPerShard = 3
        #expect(fixed.loopsPerShard(shardCount: 64) == 3)
    }

    @Test func anUnreadablePromptsFileStopsTheWorkerWithAClearError() async throws {
        var fixture = try WorkerFixture()
        var configuration = fixture.configuration
        configuration.agentPromptsFile = "/nonexistent/prompts.json"
        fixture = WorkerFixture(copying: fixture, configuration: configuration)
        let worker = try fixture.worker()
        await #expect(throws: AgentPromptsError.self) { try await worker.run() }
    }
}
