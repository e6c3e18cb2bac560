import OrchestraRedis

extension SchedulerScripts {
    /// Renews the leases a worker holds. For each task returns 1 (renewed), 0 (lost: the lease
    /// went to someone else or the task is no longer running) or -1 (its workflow was cancelled).
    ///
    /// KEYS: leases, then wf and tasks for each task. ARGV: deadline_ms, then ref, index, epoch
    /// for each task.
    static let renew = RedisScript(
        name: "renew",
        source: """
            local results = {}
            local n = (#KEYS - 1) / 2
            for t = 1, n do
              local wf, tasks = KEYS[2 * t], KEYS[2 * t + 1]
              local ref, i, epoch = ARGV[3 * t - 1], ARGV[3 * t], ARGV[3 * t + 1]
              if redis.call('EXISTS', wf) == 0 then
                redis.call('ZREM', KEYS[1], ref)
                results[t] = -1
              else
                local task = redis.call('HMGET', tasks, i .. ':status', i .. ':epoch')
                if task[1] == 'running' and task[2] == epoch then
                  redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ref)
                  results[t] = 1
                else
                  results[t] = 0
                end
              end
            end
            return results
            """
    )

    /// Deletes a workflow and cancels what is left of it: its leases and delayed retries go,
    /// queued references are dropped by `claim` when they surface, running workers are told on
    /// the notification channel (`cancel <id>`) and by their next lease renewal. Returns 0 when
    /// the workflow does not exist.
    ///
    /// KEYS: wf, tasks, leases, delayed, workflows, state:pending, state:running,
    /// state:completed, state:failed, state:partial. ARGV: id, channel.
    static let cancel = RedisScript(
        name: "cancel",
        source: """
            local count = tonumber(redis.call('HGET', KEYS[1], 'task_count'))
            if not count then return 0 end
            local id = ARGV[1]
            for i = 0, count - 1 do
              local ref = id .. '|' .. i
              redis.call('ZREM', KEYS[3], ref)
              redis.call('ZREM', KEYS[4], ref)
            end
            redis.call('DEL', KEYS[1], KEYS[2])
            for k = 5, 10 do redis.call('ZREM', KEYS[k], id) end
            redis.call('PUBLISH', ARGV[2], 'cancel ' .. id)
            return 1
            """
    )

    /// Reaps one expired lease (the worker died or stalled): the task is queued again, or fails
    /// for good when its attempts are spent. Returns `requeued`, `failed`, `renewed` (the lease
    /// was renewed meanwhile) or `gone`.
    ///
    /// KEYS: wf, tasks, leases, ready, state:pending, state:running, state:completed,
    /// state:failed, state:partial. ARGV: ref, index, now_ms, retention_s, channel.
    static let expireLease = RedisScript(
        name: "expire-lease",
        source: LuaLibrary.finish + LuaLibrary.failTask + """
            local score = redis.call('ZSCORE', KEYS[3], ARGV[1])
            if not score then return 'gone' end
            if tonumber(score) > tonumber(ARGV[3]) then return 'renewed' end
            redis.call('ZREM', KEYS[3], ARGV[1])
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
            local i = ARGV[2]
            local task = redis.call('HMGET', KEYS[2], i .. ':status', i .. ':attempts', i .. ':max_attempts', i .. ':worker')
            if task[1] ~= 'running' then return 'gone' end
            if tonumber(task[2]) < tonumber(task[3]) then
              redis.call('HSET', KEYS[2], i .. ':status', 'queued', i .. ':error', 'lease expired on worker ' .. (task[4] or '?'))
              redis.call('RPUSH', KEYS[4], ARGV[1])
              return 'requeued'
            end
            local message = 'lease expired on worker ' .. (task[4] or '?') .. ' after ' .. task[2] .. ' attempts'
            local remaining = fail_task(KEYS[1], KEYS[2], i, ARGV[3], message)
            if remaining <= 0 then
              finish(KEYS[1], KEYS[2], ARGV[3], ARGV[4], ARGV[5],
                {pending = KEYS[5], running = KEYS[6], completed = KEYS[7], failed = KEYS[8], partial = KEYS[9]})
            end
            return 'failed'
            """
    )

    /// Moves a delayed task (a retry whose backoff has passed) back to the ready queue.
    ///
    /// KEYS: wf, tasks, delayed, ready. ARGV: ref, index, now_ms. Returns 1 when queued.
    static let promote = RedisScript(
        name: "promote",
        source: """
            local score = redis.call('ZSCORE', KEYS[3], ARGV[1])
            if not score or tonumber(score) > tonumber(ARGV[3]) then return 0 end
            redis.call('ZREM', KEYS[3], ARGV[1])
            if redis.call('HGET', KEYS[2], ARGV[2] .. ':status') ~= 'delayed' then return 0 end
            redis.call('HSET', KEYS[2], ARGV[2] .. ':status', 'queued')
            redis.call('RPUSH', KEYS[4], ARGV[1])
            return 1
            """
    )

    /// Returns references stuck on the `claimed` list (a worker died between its blocking pop and
    /// its claim) to the ready queue. A reference counts as stuck when the previous run saw it
    /// too; a live claim takes microseconds. Returns how many were moved back.
    ///
    /// KEYS: claimed, seen, ready.
    static let recoverClaimed = RedisScript(
        name: "recover-claimed",
        source: """
            local current = redis.call('LRANGE', KEYS[1], 0, 999)
            local moved = 0
            for _, ref in ipairs(current) do
              if redis.call('SISMEMBER', KEYS[2], ref) == 1 then
                if redis.call('LREM', KEYS[1], 1, ref) > 0 then
                  redis.call('RPUSH', KEYS[3], ref)
                  moved = moved + 1
                end
              end
            end
            redis.call('DEL', KEYS[2])
            for start = 1, #current, 500 do
              local batch = {}
              for k = start, math.min(start + 499, #current) do batch[#batch + 1] = current[k] end
              redis.call('SADD', KEYS[2], unpack(batch))
            end
            redis.call('PEXPIRE', KEYS[2], 60000)
            return moved
            """
    )

    /// Forgets finished workflows whose records expired (`WORKFLOW_RETENTION_SECONDS`): their ids
    /// leave the listing sets, which would otherwise grow forever. A workflow whose hash still
    /// exists (or exists again: an id may be reused once its record expired) is left alone.
    /// Returns how many were forgotten.
    ///
    /// KEYS: workflows, state:completed, state:failed, state:partial, then the wf hash of each id.
    /// ARGV: the ids, in the same order.
    static let forgetExpired = RedisScript(
        name: "forget-expired",
        source: """
            local forgotten = 0
            for i, id in ipairs(ARGV) do
              if redis.call('EXISTS', KEYS[4 + i]) == 0 then
                for k = 1, 4 do redis.call('ZREM', KEYS[k], id) end
                forgotten = forgotten + 1
              end
            end
            return forgotten
            """
    )
}
