extension SchedulerLibrary {
    /// Records a worker's report with the server's time: its hash (expiring after `ttl_ms`) and
    /// its place in the index. `started_at` is set by the first report, `last_claim_at` when
    /// `claimed` is 1.
    static let workerHeartbeat = LuaFunction(
        "worker_heartbeat",
        keys: ["index", "entry"],
        arguments: ["id", "ttl_ms", "claimed", "host", "version", "concurrency", "in_flight", "draining"],
        body: """
            local now = now_ms()
            redis.call('HSET', entry, 'host', host, 'version', version, 'concurrency', concurrency, 'in_flight', in_flight,
              'draining', draining, 'last_seen_at', now)
            redis.call('HSETNX', entry, 'started_at', now)
            if claimed == '1' then redis.call('HSET', entry, 'last_claim_at', now) end
            redis.call('PEXPIRE', entry, ttl_ms)
            redis.call('ZADD', index, now, id)
            return 'ok'
            """
    )
}
