import OrchestraRedis

extension SchedulerScripts {
    /// Moves up to `limit` ready references to the shard's `claimed` list without blocking (the
    /// first step of a batch claim; ``claimBatch`` is the second). Returns the references in queue
    /// order, empty when nothing is ready. A worker that dies between the two steps leaves them on
    /// `claimed`, where the reaper finds them (``recoverClaimed``).
    ///
    /// KEYS: ready, claimed. ARGV: limit.
    static let popReady = RedisScript(
        name: "pop-ready",
        source: """
            local refs = redis.call('LPOP', KEYS[1], ARGV[1])
            if not refs then return {} end
            redis.call('RPUSH', KEYS[2], unpack(refs))
            return refs
            """
    )

    /// Claims several references of one shard already on its `claimed` list, each as ``claim``
    /// does. Returns one `claim` reply per reference, in order.
    ///
    /// KEYS: claimed, leases, state:pending, state:running, then wf and tasks for each reference.
    /// ARGV: worker, now_ms, lease_ms, then ref and index for each reference.
    static let claimBatch = RedisScript(
        name: "claim-batch",
        source: LuaLibrary.claimTask + """
            local results = {}
            local now, lease = tonumber(ARGV[2]), tonumber(ARGV[3])
            for t = 1, (#KEYS - 4) / 2 do
              results[t] = claim_task(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[2 * t + 3], KEYS[2 * t + 4],
                ARGV[2 * t + 2], ARGV[2 * t + 3], ARGV[1], now, lease)
            end
            return results
            """
    )
}
