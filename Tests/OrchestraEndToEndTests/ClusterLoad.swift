import Foundation
import NIOHTTP1
import OrchestraAPI
import Synchronization

/// A steady stream of graph submissions against one or more gateways, in the background, while
/// a test changes the Redis Cluster under it. Records every accepted workflow (with the phase of
/// the test it was accepted in) and every refusal.
final class SubmissionLoad: Sendable {
    struct Accepted: Sendable {
        var id: String
        var phase: String
    }

    private let gateways: [GatewayHTTP]
    private let pause: Duration
    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

    private struct State {
        var phase = "before"
        var accepted: [Accepted] = []
        var refused: [String] = []
        var stopped = false
    }

    /// Submits `EventStreamTests.graph` round-robin to `gateways`, one after another with
    /// `pause` between them (pacing, so the machine is loaded but not saturated).
    init(_ gateways: [GatewayHTTP], pause: Duration = .milliseconds(25)) {
        self.gateways = gateways
        self.pause = pause
        let task = Task { await self.run() }
        self.task.withLock { $0 = task }
    }

    /// Workflows accepted from now on are recorded under `phase`.
    func enter(_ phase: String) { state.withLock { $0.phase = phase } }

    var accepted: [Accepted] { state.withLock { $0.accepted } }
    var refused: [String] { state.withLock { $0.refused } }
    /// Workflows accepted in `phase` so far.
    func acceptedCount(in phase: String) -> Int { state.withLock { $0.accepted.count { $0.phase == phase } } }
    /// Submissions answered so far, accepted or not.
    var attempts: Int { state.withLock { $0.accepted.count + $0.refused.count } }

    /// Stops submitting and waits for the submission in flight.
    func stop() async {
        state.withLock { $0.stopped = true }
        await task.withLock { $0 }?.value
    }

    private func run() async {
        var index = 0
        while !state.withLock({ $0.stopped }) {
            let gateway = gateways[index % gateways.count]
            index += 1
            let phase = state.withLock { $0.phase }
            do {
                let reply = try await gateway.request(.POST, "/run-graph", json: EventStreamTests.graph)
                if reply.status == 200 {
                    let id = try reply.decode(WorkflowStatus.self).workflowId
                    state.withLock { $0.accepted.append(Accepted(id: id, phase: phase)) }
                } else {
                    state.withLock { $0.refused.append("\(reply.status) \(reply.text.prefix(120))") }
                }
            } catch {
                state.withLock { $0.refused.append("\(error)".prefix(120).description) }
            }
            try? await Task.sleep(for: pause)
        }
    }
}

/// What became of an accepted workflow.
enum WorkflowOutcome: String, Sendable {
    case completed, failed, partial, lost, stuck
}

extension GatewayHTTP {
    /// Follows `id` until it is terminal (its state), gone (`lost`: 404), or still unfinished
    /// at `deadline` (`stuck`).
    func outcome(of id: String, by deadline: ContinuousClock.Instant) async throws -> (WorkflowOutcome, WorkflowStatus?) {
        while true {
            let reply = try await request(.GET, "/status/\(id)?wait=2")
            if reply.status == 404 { return (.lost, nil) }
            if reply.status == 200 {
                let status = try reply.decode(WorkflowStatus.self)
                switch status.status {
                case .completed: return (.completed, status)
                case .failed: return (.failed, status)
                case .partial: return (.partial, status)
                case .pending, .running: break
                }
                if ContinuousClock.now >= deadline { return (.stuck, status) }
            } else if ContinuousClock.now >= deadline {
                return (.stuck, nil)
            } else {
                try await Task.sleep(for: .milliseconds(100))  // 503 while the cluster settles: poll again
            }
        }
    }

    /// The outcome of every workflow of `ids`, followed concurrently (a few at a time).
    func outcomes(of ids: [String], within limit: Duration) async throws -> [String: (WorkflowOutcome, WorkflowStatus?)] {
        let deadline = ContinuousClock.now + limit
        var results: [String: (WorkflowOutcome, WorkflowStatus?)] = [:]
        var next = ids.makeIterator()
        try await withThrowingTaskGroup(of: (String, WorkflowOutcome, WorkflowStatus?).self) { group in
            for _ in 0..<16 {
                guard let id = next.next() else { break }
                group.addTask {
                    let (result, status) = try await self.outcome(of: id, by: deadline); return (id, result, status)
                }
            }
            while let (id, outcome, status) = try await group.next() {
                results[id] = (outcome, status)
                if let id = next.next() {
                    group.addTask {
                        let (result, status) = try await self.outcome(of: id, by: deadline); return (id, result, status)
                    }
                }
            }
        }
        return results
    }
}
