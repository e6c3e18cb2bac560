public import OrchestraRedis

/// Reads and appends the event streams (API.md §6): a workflow's stream (`events:<id>`, written by
/// every scheduling function and by workers' token events) and each shard's cluster-wide stream.
public final class EventLog: Sendable {
    /// Keys and caps.
    public let settings: SchedulerSettings
    let redis: RedisClient

    /// An event log over `redis`.
    public init(redis: RedisClient, settings: SchedulerSettings) {
        self.redis = redis
        self.settings = settings
    }

    /// The key schema in use.
    public var keys: KeySchema { settings.keys }

    /// Whether workflows' event streams are written (`EVENT_STREAM_MAXLEN` is not 0).
    public var workflowStreamsEnabled: Bool { settings.workflowEventLimit > 0 }
    /// Whether the shards' cluster-wide streams are written (`CLUSTER_EVENTS_MAXLEN` is not 0).
    public var clusterStreamEnabled: Bool { settings.clusterEventLimit > 0 }

    /// Up to `count` events of `stream` after `id` (from its start when `nil`), oldest first.
    public func read(_ stream: String, after id: String?, count: Int) async throws(RedisError) -> [StoredEvent] {
        let start = id.map { "(" + $0 } ?? "-"
        return try await StoredEvent.entries(
            redis.send("XRANGE", RedisArgument(stream), RedisArgument(start), "+", "COUNT", RedisArgument(count)))
    }

    /// The last `count` events of `stream`, oldest first.
    public func tail(_ stream: String, count: Int) async throws(RedisError) -> [StoredEvent] {
        try await StoredEvent.entries(redis.send("XREVRANGE", RedisArgument(stream), "+", "-", "COUNT", RedisArgument(count))).reversed()
    }

    /// Waits up to `block` for events after the given ids of several streams of one shard (one
    /// `XREAD BLOCK` on a dedicated connection: the streams share their shard's hash tag, so this
    /// works on Redis Cluster too). Returns what arrived, per stream; empty on timeout. Cancelling
    /// the calling task ends the wait at once.
    public func wait(for streams: [(key: String, after: String)], block: Duration, count: Int = 500) async throws(RedisError)
        -> [String: [StoredEvent]]
    {
        guard !streams.isEmpty else { return [:] }
        var command: [RedisArgument] = [
            "XREAD", "COUNT", RedisArgument(count), "BLOCK", RedisArgument(Int(max(1, block.milliseconds))), "STREAMS",
        ]
        command += streams.map { RedisArgument($0.key) }
        command += streams.map { RedisArgument($0.after) }
        let reply = try await redis.blockingSend(command, blockFor: block)
        guard let perStream = try reply.decodeOptionalArray() else { return [:] }
        var result: [String: [StoredEvent]] = [:]
        for element in perStream {
            let pair = try element.decodeArray()
            guard pair.count == 2 else { throw RedisError(.unexpectedReply, "an XREAD element that is not [key, entries]") }
            result[try pair[0].decodeString()] = try StoredEvent.entries(pair[1])
        }
        return result
    }

    /// Whether a workflow exists now, or its stream does (a cancelled workflow's stream outlives it).
    public func exists(workflow id: String) async throws(RedisError) -> Bool {
        let target = keys.workflow(id)
        return try await redis.send("EXISTS", RedisArgument(target.hash), RedisArgument(target.events)).decodeInt() > 0
    }

    /// Appends a `task.token` event (text the model produced since the previous one) to the task's
    /// workflow stream, fenced like every write of a claim: nothing is written for a task that is
    /// no longer this claim's or whose workflow is gone. `.ok`, `.stale` or `.gone`.
    public func appendToken(_ task: ClaimedTask, delta: String) async throws(RedisError) -> AcknowledgeOutcome {
        let workflow = keys.workflow(task.workflowID)
        var call = SchedulerLibrary.appendToken.call()
        call.key("wf", workflow.hash)
        call.key("tasks", workflow.tasks)
        call.key("events", workflow.events)
        call.argument("index", RedisArgument(task.index))
        call.argument("epoch", RedisArgument(task.epoch))
        call.argument("wmax", RedisArgument(settings.workflowEventLimit))
        call.argument("agent_id", RedisArgument(task.agentID))
        call.argument("attempt", RedisArgument(task.attempt))
        call.argument("delta", RedisArgument(delta))
        return try await AcknowledgeOutcome(reply: redis.call(call))
    }
}
