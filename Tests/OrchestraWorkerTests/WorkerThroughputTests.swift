import OrchestraAPI
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import OrchestraWorker
import Testing

@Suite("Worker: Redis commands per task", .timeLimit(.minutes(5)))
struct WorkerThroughputTests {
    /// Runs 3,000 echo tasks through two workers on a private redis-server and counts the
    /// commands the workers sent per task (claims are batched, so it stays close to one).
    @Test func claimsAreBatchedSoEachTaskCostsAboutOneRoundTrip() async throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let fixture = try WorkerFixture(concurrency: 64, redisURL: server.url)
        let workflows = 150
        let perWorkflow = 20
        for number in 0..<workflows {
            try await fixture.submit(.parallel, (0..<perWorkflow).map { agent("t\($0)", "task \($0)") }, id: "bench-\(number)")
        }
        let total = workflows * perWorkflow
        let before = try await commandCounts(fixture.redis)
        let clock = ContinuousClock()
        let start = clock.now
        let workers = [try fixture.worker(concurrency: 64), try fixture.worker(concurrency: 64)]
        try await fixture.with(workers) {
            while try await fixture.store.activeCount() > 0, clock.now - start < .seconds(120) {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let elapsed = clock.now - start
        let after = try await commandCounts(fixture.redis)
        #expect(try await fixture.store.activeCount() == 0)
        // INFO commandstats also counts the commands scripts run inside Redis; a round trip is one
        // of the commands the worker sends itself.
        let sentByWorkers: Set<String> = ["evalsha", "eval", "blmove", "set", "zrangebyscore", "script|load", "subscribe"]
        var delta: [String: Int] = [:]
        for (name, count) in after where sentByWorkers.contains(name) {
            let added = count - (before[name] ?? 0)
            if added > 0 { delta[name] = added }
        }
        let insideScripts = after.filter { !sentByWorkers.contains($0.key) && $0.key != "zcard" && $0.key != "info" }
            .reduce(0) { $0 + $1.value - (before[$1.key] ?? 0) }
        let commands = delta.values.reduce(0, +)
        let perTask = Double(commands) / Double(total)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "worker round trips per task: \(perTask) \(delta.sorted { $0.value > $1.value }); "
                + "commands run inside scripts per task: \(Double(insideScripts) / Double(total)); "
                + "\(Int(Double(total) / seconds)) tasks/s with two in-process workers"
        )
        #expect(perTask < 1.6)
        let usage = try await fixture.store.usageCounters()
        #expect(usage.first?.calls == total)
    }

    private func commandCounts(_ redis: RedisClient) async throws -> [String: Int] {
        let text = try await redis.send("INFO", "commandstats").string ?? ""
        var counts: [String: Int] = [:]
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_") {
            let parts = line.dropFirst("cmdstat_".count).split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let calls = parts[1].split(separator: ",").first?.split(separator: "=").last.flatMap({ Int($0) })
            else { continue }
            counts[String(parts[0])] = calls
        }
        return counts
    }
}
