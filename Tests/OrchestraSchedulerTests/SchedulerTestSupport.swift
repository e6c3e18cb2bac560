import OrchestraRedis
import OrchestraScheduler
import OrchestraTestSupport
import Synchronization

/// A scheduler over the shared test Redis with its own key prefix and a controllable clock.
struct SchedulerFixture: Sendable {
    let redis: RedisClient
    let keys: KeySchema
    let store: WorkflowStore
    let clock: TestClock

    init(shards: Int = 1) throws {
        redis = try TestRedis.client()
        keys = KeySchema(prefix: TestRedis.uniquePrefix("sched").dropLast().description, shardCount: shards)
        store = WorkflowStore(redis: redis, keys: keys)
        clock = TestClock()
    }

    func queue(worker: String, lease: Duration = .seconds(10)) -> TaskQueue {
        let clock = self.clock
        return TaskQueue(
            redis: redis, keys: keys, workerID: worker, leaseDuration: lease, retention: .seconds(3600), now: { clock.now }
        )
    }

    /// Submits `count` tasks; `dependencies[i]` lists the indices task i waits for.
    @discardableResult
    func submit(
        id: String,
        type: String = "graph",
        dependencies: [[Int]],
        maxAttempts: Int = 3
    ) async throws -> WorkflowStore.SubmitOutcome {
        let count = dependencies.count
        let tasks = (0..<count).map { index in
            TaskSubmission(
                agentID: "a\(index)",
                role: "backend",
                inputJSON: #"{"task":"step \#(index)"}"#,
                optionsJSON: "",
                dependencies: dependencies[index],
                dependents: (0..<count).filter { dependencies[$0].contains(index) },
                dependsOnJSON: "[" + dependencies[index].map { "\"a\($0)\"" }.joined(separator: ",") + "]",
                maxAttempts: maxAttempts
            )
        }
        return try await store.submit(
            WorkflowSubmission(id: id, type: type, createdAt: clock.now, metadataJSON: #"{"k":1}"#, tasks: tasks)
        )
    }

    /// Claims the next ready task of shard 0 without blocking long.
    func claim(_ queue: TaskQueue, shard: Int = 0) async throws -> ClaimedTask? {
        try await queue.next(from: keys.shard(shard), block: .milliseconds(50))
    }

    func readyRefs(shard: Int = 0) async throws -> [String] {
        try await redis.send("LRANGE", RedisArgument(keys.shard(shard).ready), 0, -1).array?.compactMap(\.string) ?? []
    }

    func keyCount() async throws -> Int {
        try await redis.send("EVAL", "return #redis.call('KEYS', ARGV[1])", 0, RedisArgument(keys.prefix + ":*")).int ?? -1
    }
}

/// A wall clock the test moves by hand (epoch milliseconds).
final class TestClock: Sendable {
    private let value = Atomic<Int64>(1_700_000_000_000)
    var now: Int64 { value.load(ordering: .relaxed) }
    func advance(_ duration: Duration) { value.add(duration.milliseconds, ordering: .relaxed) }
}
