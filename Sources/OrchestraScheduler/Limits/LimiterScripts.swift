import OrchestraRedis

/// The limiter's state changes, each one atomic script. Time is the Redis server's (`TIME`), so
/// workers with skewed clocks still share one window. A limit of `0` means "not limited".
enum LimiterScripts {
    /// Purges expired permits and old window entries, checks both limits and, when both admit the
    /// call, adds its permit and its start. Returns `{1, now_ms}` when granted, otherwise
    /// `{0, busy_ms, full_ms}`: how long until the earliest permit expires (`0` when a permit is
    /// free) and until the window has room (`0` when it has).
    ///
    /// KEYS: inflight, window. ARGV: token, max_concurrency, max_starts_per_window, window_ms, ttl_ms.
    static let acquire = RedisScript(
        name: "limits-acquire",
        source: """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local token, max, rate = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
            local window, ttl = tonumber(ARGV[4]), tonumber(ARGV[5])
            local busy, full = 0, 0
            if max > 0 then
              redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
              if redis.call('ZCARD', KEYS[1]) >= max then
                local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
                busy = math.max(1, tonumber(first[2]) - now)
              end
            end
            if rate > 0 then
              redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
              local count = redis.call('ZCARD', KEYS[2])
              if count >= rate then
                local oldest = redis.call('ZRANGE', KEYS[2], count - rate, count - rate, 'WITHSCORES')
                full = math.max(1, tonumber(oldest[2]) + window - now)
              end
            end
            if busy > 0 or full > 0 then return {0, busy, full} end
            if max > 0 then
              redis.call('ZADD', KEYS[1], now + ttl, token)
              local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
              redis.call('PEXPIREAT', KEYS[1], tonumber(last[2]))
            end
            if rate > 0 then
              redis.call('ZADD', KEYS[2], now, token)
              if redis.call('PTTL', KEYS[2]) < window then redis.call('PEXPIRE', KEYS[2], window) end
            end
            return {1, now}
            """
    )

    /// Moves a running call's permit expiry to now + ttl. Returns 1, or 0 when the permit had
    /// already expired and was added again (the holder was paused longer than the ttl).
    ///
    /// KEYS: inflight. ARGV: token, ttl_ms.
    static let renew = RedisScript(
        name: "limits-renew",
        source: """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
            redis.call('PEXPIREAT', KEYS[1], tonumber(last[2]))
            return 1 - added
            """
    )

    /// Drops a permit and, when it was still held, pushes one wake-up for a waiting caller. The
    /// wake list is capped (stale wake-ups only cause a spare retry) and expires when unused.
    /// Returns 1 when the permit was held, 0 when it had expired.
    ///
    /// KEYS: inflight, wake. ARGV: token, wake_cap, wake_ttl_ms.
    static let release = RedisScript(
        name: "limits-release",
        source: """
            if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
            redis.call('LPUSH', KEYS[2], '1')
            redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            return 1
            """
    )
}
