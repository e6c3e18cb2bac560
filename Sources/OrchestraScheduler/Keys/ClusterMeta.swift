public import Logging
public import OrchestraRedis

/// The layout a Redis holds data in, recorded on first use in `<prefix>:meta`: the key schema
/// version and the shard count. Every process checks it at start, so a process started with a
/// different `ORCHESTRA_SHARDS` (which would look for every workflow under the wrong hash tag)
/// refuses to run instead of reporting existing workflows as missing.
public enum ClusterMeta {
    /// The key schema this code writes (bumped when key names change).
    public static let schemaVersion = 2

    /// The recorded layout does not match this process's.
    public struct Mismatch: Error, Sendable, CustomStringConvertible {
        /// What is recorded in Redis.
        public var recordedShards: Int
        /// What this process is configured with.
        public var configuredShards: Int
        /// The recorded schema version.
        public var recordedSchema: Int
        /// The key holding the record.
        public var key: String

        public var description: String {
            if recordedSchema != ClusterMeta.schemaVersion {
                return "Redis holds data in key schema \(recordedSchema) (\(key)), this build uses schema \(ClusterMeta.schemaVersion)"
            }
            return "ORCHESTRA_SHARDS is \(configuredShards) but the data in Redis was written with \(recordedShards) shards "
                + "(\(key)); start with ORCHESTRA_SHARDS=\(recordedShards), or move the data with "
                + "'orchestra shards migrate --to \(configuredShards)' while no worker runs"
        }
    }

    /// Records this process's layout if none is recorded, and checks it against the record.
    public static func check(_ keys: KeySchema, on redis: RedisClient) async throws -> Int {
        let replies = try await redis.pipeline([
            ["HSETNX", RedisArgument(keys.meta), "schema", RedisArgument(schemaVersion)],
            ["HSETNX", RedisArgument(keys.meta), "shards", RedisArgument(keys.shardCount)],
            ["HMGET", RedisArgument(keys.meta), "schema", "shards"],
        ])
        let recorded = try replies[2].decodeArray()
        guard recorded.count == 2, let schema = try recorded[0].decodeOptionalString().flatMap({ Int($0) }),
            let shards = try recorded[1].decodeOptionalString().flatMap({ Int($0) })
        else { throw RedisError(.unexpectedReply, "\(keys.meta) holds no schema and shard count") }
        guard schema == schemaVersion, shards == keys.shardCount else {
            throw Mismatch(recordedShards: shards, configuredShards: keys.shardCount, recordedSchema: schema, key: keys.meta)
        }
        return shards
    }

    /// Overwrites the recorded shard count (after a migration moved the data).
    static func record(shards: Int, _ keys: KeySchema, on redis: RedisClient) async throws(RedisError) {
        _ = try await redis.send("HSET", RedisArgument(keys.meta), "schema", RedisArgument(schemaVersion), "shards", RedisArgument(shards))
    }
}

extension ClusterMeta {
    /// What every process does before it touches workflows: checks the recorded layout (see
    /// ``check(_:on:)``) and loads the scheduling library. While Redis cannot be reached it keeps
    /// trying (with capped backoff) instead of failing the process; a layout mismatch throws.
    /// Returns early, without error, when the calling task is cancelled.
    public static func prepare(_ keys: KeySchema, on redis: RedisClient, logger: Logger) async throws {
        var pause = Duration.milliseconds(100)
        var warned = false
        while !Task.isCancelled {
            do {
                _ = try await check(keys, on: redis)
                try await redis.load(SchedulerLibrary.library)
                if warned { logger.info("Redis is reachable; layout checked") }
                return
            } catch let error as RedisError where error.isTransient {
                if !warned {
                    logger.warning("waiting for Redis before serving", metadata: ["error": "\(error)"])
                    warned = true
                }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(2))
            }
        }
    }
}
