import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraGateway
import OrchestraScheduler
import ServiceLifecycle
import Testing

@Suite("GET /status/{workflow_id}?wait=: long-poll", .timeLimit(.minutes(5)))
struct LongPollTests {
    @Test("Returns as soon as another task completes the workflow")
    func wakesOnCompletion() async throws {
        try await GatewayFixture.run { gateway in
            #expect(try await gateway.submit(Bodies.workflow("lp", tasks: [Bodies.task("a")])).status == 200)
            async let polled = gateway.request(.GET, "/status/lp?wait=30")
            try await gateway.waitForLongPolls(1)
            let waiting = ContinuousClock.now
            let queue = gateway.queue()
            let task = try await gateway.claim(queue, workflowID: "lp")
            #expect(try await queue.complete(task, GatewayFixture.answer("done")) == .ok)
            let completedAt = ContinuousClock.now
            let response = try await polled
            let finished = ContinuousClock.now
            #expect(response.status == 200)
            let body = try response.json()
            #expect(ResponseSchema.workflowStatus(body) == [])
            #expect(body["status"] == "completed")
            #expect(finished > waiting, "it waited for the completion")
            #expect(finished - completedAt < .seconds(3), "woke \(finished - completedAt) after completion")
        }
    }

    @Test("Times out with the current status; a finished workflow answers at once")
    func timeoutAndTerminal() async throws {
        try await GatewayFixture.run { gateway in
            #expect(try await gateway.submit(Bodies.workflow("slow", tasks: [Bodies.task("a")])).status == 200)
            var started = ContinuousClock.now
            let pending = try await gateway.request(.GET, "/status/slow?wait=0.5")
            let elapsed = ContinuousClock.now - started
            #expect(pending.status == 200)
            #expect(try pending.json()["status"] == "pending")
            #expect(elapsed >= .milliseconds(450) && elapsed < .seconds(4), "\(elapsed)")

            let queue = gateway.queue()
            let task = try await gateway.claim(queue, workflowID: "slow")
            _ = try await queue.complete(task, GatewayFixture.answer("x"))
            started = ContinuousClock.now
            let done = try await gateway.request(.GET, "/status/slow?wait=60")
            #expect(ContinuousClock.now - started < .seconds(2))
            #expect(try done.json()["status"] == "completed")
        }
    }

    @Test("A workflow deleted during the wait answers 404")
    func deletedDuringWait() async throws {
        try await GatewayFixture.run { gateway in
            #expect(try await gateway.submit(Bodies.workflow("gone", tasks: [Bodies.task("a")])).status == 200)
            async let polled = gateway.request(.GET, "/status/gone?wait=30")
            try await gateway.waitForLongPolls(1)
            #expect(try await gateway.request(.DELETE, "/workflows/gone").status == 200)
            let started = ContinuousClock.now
            let response = try await polled
            #expect(ContinuousClock.now - started < .seconds(3))
            #expect(response.status == 404)
            #expect(try response.json() == ["detail": "Workflow gone not found"])
        }
    }

    @Test("wait must be a number in (0, 60]", arguments: ["0", "-1", "61", "abc", "nan", ""])
    func invalidWait(_ value: String) async throws {
        try await GatewayFixture.run { gateway in
            #expect(try await gateway.submit(Bodies.workflow("w", tasks: [Bodies.task("a")])).status == 200)
            let response = try await gateway.request(.GET, "/status/w?wait=\(value)")
            #expect(response.status == 422, "\(response)")
            let body = try response.json()
            #expect(ResponseSchema.validationError(body) == [])
            #expect(ResponseSchema.locs(body) == ["query.wait"])
        }
    }

    @Test("Graceful shutdown ends a pending long-poll early")
    func shutdownEndsWait() async throws {
        try await GatewayFixture.run { gateway in
            #expect(try await gateway.submit(Bodies.workflow("stay", tasks: [Bodies.task("a")])).status == 200)
            let started = ContinuousClock.now
            async let polled = gateway.request(.GET, "/status/stay?wait=60")
            try await gateway.waitForLongPolls(1)
            await (try #require(gateway.group)).triggerGracefulShutdown()
            let response = try await polled
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(response.status == 200)
            #expect(try response.json()["status"] == "pending")
        }
    }
}
