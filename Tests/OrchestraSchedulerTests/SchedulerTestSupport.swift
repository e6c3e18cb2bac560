import OrchestraAPI
import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Testing

/// A scheduler over the shared test Redis with its own key prefix. Time is the server's: tests
/// that need time to pass use short leases and delays and wait for the observable outcome.
struct SchedulerFixture: Sendable {
    let redis: RedisClient
    let settings: SchedulerSettings
    let store: WorkflowStore

    init(shards: Int = 1, retention: Duration = .seconds(3600)) throws {
        redis = try TestRedis.client()
        var settings = SchedulerSettings(
            keys: KeySchema(prefix: TestRedis.uniquePrefix("sched").dropLast().description, shardCount: shards))
        settings.retention = retention
        self.settings = settings
        store = WorkflowStore(redis: redis, settings: settings)
    }

    var keys: KeySchema { settings.keys }

    func queue(worker: String, lease: Duration = .seconds(10)) -> TaskQueue {
        TaskQueue(redis: redis, settings: settings, workerID: worker, leaseDuration: lease)
    }

    /// Submits `count` tasks; `dependencies[i]` lists the indices task i waits for.
    @discardableResult
    func submit(
        id: String,
        type: String = "graph",
        dependencies: [[Int]],
        maxAttempts: Int = 3,
        options: TaskOptions = TaskOptions()
    ) async throws -> WorkflowStore.SubmitOutcome {
        let count = dependencies.count
        let tasks = (0..<count).map { index in
            TaskSubmission(
                agentID: "a\(index)",
                role: "backend",
                inputJSON: #"{"task":"step \#(index)"}"#,
                options: options,
                dependencies: dependencies[index],
                dependents: (0..<count).filter { dependencies[$0].contains(index) },
                dependsOnJSON: dependencies[index].isEmpty
                    ? "" : "[" + dependencies[index].map { "\"a\($0)\"" }.joined(separator: ",") + "]",
                maxAttempts: maxAttempts
            )
        }
        return try await store.submit(WorkflowSubmission(id: id, type: type, metadataJSON: #"{"k":1}"#, tasks: tasks))
    }

    /// Claims the next ready task of a shard, waiting briefly for one.
    func claim(_ queue: TaskQueue, shard: Int = 0) async throws -> ClaimedTask? {
        let keys = self.keys.shard(shard)
        guard let ref = try await queue.waitForReady(in: keys, block: .milliseconds(50)) else { return nil }
        return try await queue.claim(refs: [ref], in: keys).first
    }

    func readyRefs(shard: Int = 0) async throws -> [String] {
        try await strings(redis.send("LRANGE", RedisArgument(keys.shard(shard).ready), 0, -1))
    }

    func strings(_ reply: RESPValue) throws -> [String] {
        try reply.decodeArray().map { try $0.decodeString() }
    }

    func keyCount() async throws -> Int {
        try await redis.send("EVAL", "return #redis.call('KEYS', ARGV[1])", 0, RedisArgument(keys.prefix + ":*")).decodeInt()
    }

    /// The events of a workflow's stream, as (type, fields) in order.
    func events(_ id: String) async throws -> [(type: String, fields: [String: String])] {
        try await redis.send("XRANGE", RedisArgument(keys.workflow(id).events), "-", "+").decodeArray().map { entry in
            let parts = try entry.decodeArray()
            let fields = try parts[1].decodeFieldMap()
            return (fields["type"] ?? "", fields)
        }
    }

    /// Runs reaper passes until `condition` holds for a report (time must pass on the server's
    /// clock for leases and retries to come due), failing after `limit`.
    @discardableResult
    func reapUntil(
        _ queue: TaskQueue, shard: Int = 0, within limit: Duration = .seconds(10), _ condition: (ReapReport) -> Bool
    ) async throws -> ReapReport {
        let deadline = ContinuousClock.now + limit
        var total = ReapReport()
        while ContinuousClock.now < deadline {
            let report = try await queue.reap(keys.shard(shard), interval: .milliseconds(11))
            total.requeued += report.requeued
            total.failed += report.failed
            total.promoted += report.promoted
            total.recovered += report.recovered
            total.forgotten += report.forgotten
            total.ranReaper = total.ranReaper || report.ranReaper
            if condition(total) { return total }
            try await Task.sleep(for: .milliseconds(15))
        }
        Issue.record("the reaper did not get there within \(limit): \(total)")
        return total
    }
}
