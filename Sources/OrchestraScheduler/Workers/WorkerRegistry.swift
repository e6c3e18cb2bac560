public import OrchestraRedis

/// A worker as it last reported itself (`GET /workers`, `orchestra workers`).
public struct WorkerInfo: Sendable, Hashable {
    /// The worker id (`<host>-<pid>-<random>`), as recorded with its leases.
    public var id: String
    /// The host it runs on.
    public var host: String
    /// Its release (``OrchestraAPI/OrchestraVersion``).
    public var version: String
    /// `WORKER_CONCURRENCY`.
    public var concurrency: Int
    /// Tasks it runs now.
    public var inFlight: Int
    /// Whether it is shutting down (claims nothing more).
    public var draining: Bool
    /// When it started, epoch ms of the server's clock (set by its first heartbeat).
    public var startedAt: Int64 = 0
    /// When it last claimed a task, epoch ms; `nil` if never.
    public var lastClaimAt: Int64?
    /// When it last reported, epoch ms.
    public var lastSeenAt: Int64 = 0

    /// A report.
    public init(id: String, host: String, version: String, concurrency: Int, inFlight: Int, draining: Bool) {
        self.id = id
        self.host = host
        self.version = version
        self.concurrency = concurrency
        self.inFlight = inFlight
        self.draining = draining
    }
}

/// Where workers report themselves: each heartbeat refreshes a hash that expires after `ttl`, so a
/// worker killed with `kill -9` disappears within it; an index lists them.
///
/// Keys (one hash tag, so a heartbeat is one call on Redis Cluster too):
/// `<prefix>:{workers}:index` (ZSET of ids by last report) and `<prefix>:{workers}:worker:<id>` (HASH).
public final class WorkerRegistry: Sendable {
    /// How long a report lives without the next one.
    public let ttl: Duration
    let redis: RedisClient
    let prefix: String

    /// A registry under `keys`' prefix.
    public init(redis: RedisClient, keys: KeySchema, ttl: Duration = .seconds(15)) {
        self.redis = redis
        self.prefix = keys.prefix
        self.ttl = ttl
    }

    var index: String { "\(prefix):{workers}:index" }
    func entry(_ id: String) -> String { "\(prefix):{workers}:worker:\(id)" }

    /// Reports `worker`; `claimed` says whether it claimed a task since its last report.
    public func heartbeat(_ worker: WorkerInfo, claimed: Bool) async throws(RedisError) {
        var call = SchedulerLibrary.workerHeartbeat.call()
        call.key("index", index)
        call.key("entry", entry(worker.id))
        call.argument("id", RedisArgument(worker.id))
        call.argument("ttl_ms", RedisArgument(Int(ttl.milliseconds)))
        call.argument("claimed", claimed ? "1" : "0")
        call.argument("host", RedisArgument(worker.host))
        call.argument("version", RedisArgument(worker.version))
        call.argument("concurrency", RedisArgument(worker.concurrency))
        call.argument("in_flight", RedisArgument(worker.inFlight))
        call.argument("draining", worker.draining ? "1" : "0")
        _ = try await redis.call(call)
    }

    /// Removes a worker that stopped cleanly.
    public func remove(_ id: String) async throws(RedisError) {
        _ = try await redis.pipeline([["DEL", RedisArgument(entry(id))], ["ZREM", RedisArgument(index), RedisArgument(id)]])
    }

    /// The workers alive now (reported within their ttl), by id. Ids whose report expired leave
    /// the index as they are met.
    public func list() async throws(RedisError) -> [WorkerInfo] {
        var ids: [String] = []
        for value in try await redis.send("ZRANGE", RedisArgument(index), 0, -1).decodeArray() { ids.append(try value.decodeString()) }
        guard !ids.isEmpty else { return [] }
        let replies = try await redis.pipeline(ids.map { ["HGETALL", RedisArgument(entry($0))] })
        var workers: [WorkerInfo] = []
        var gone: [RedisArgument] = []
        for (id, reply) in zip(ids, replies) {
            let fields = try reply.decodeFieldMap()
            guard !fields.isEmpty else {
                gone.append(RedisArgument(id))
                continue
            }
            var worker = WorkerInfo(
                id: id, host: fields["host"] ?? "", version: fields["version"] ?? "",
                concurrency: fields["concurrency"].flatMap { Int($0) } ?? 0,
                inFlight: fields["in_flight"].flatMap { Int($0) } ?? 0, draining: fields["draining"] == "1")
            worker.startedAt = fields["started_at"].flatMap { Int64($0) } ?? 0
            worker.lastClaimAt = fields["last_claim_at"].flatMap { Int64($0) }
            worker.lastSeenAt = fields["last_seen_at"].flatMap { Int64($0) } ?? 0
            workers.append(worker)
        }
        if !gone.isEmpty { _ = try await redis.send(["ZREM", RedisArgument(index)] + gone) }
        return workers
    }
}
