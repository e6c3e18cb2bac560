import OrchestraRedis

/// The scheduling state machine: each state change of a workflow or task is one of these
/// scripts (DESIGN §3). Every key a script touches is passed in `KEYS`.
enum SchedulerScripts {
    /// Writes a workflow, its tasks and its ready roots atomically; `0` when the id exists.
    ///
    /// KEYS: wf, tasks, ready, workflows, state:pending.
    /// ARGV: id, type, created_ms, metadata_json, task_count, root_count, roots…, field/value pairs…
    static let submit = RedisScript(
        name: "submit",
        source: """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            local id, created = ARGV[1], ARGV[3]
            redis.call('HSET', KEYS[1], 'workflow_id', id, 'workflow_type', ARGV[2], 'status', 'pending',
              'created_at', created, 'metadata', ARGV[4], 'task_count', ARGV[5], 'remaining', ARGV[5],
              'completed', 0, 'failed', 0, 'prompt_tokens', 0, 'completion_tokens', 0)
            local roots = tonumber(ARGV[6])
            local first = 7 + roots
            local i = first
            while i <= #ARGV do
              local last = math.min(i + 999, #ARGV)
              redis.call('HSET', KEYS[2], unpack(ARGV, i, last))
              i = last + 1
            end
            for r = 7, 6 + roots do
              redis.call('HSET', KEYS[2], ARGV[r] .. ':status', 'queued')
              redis.call('RPUSH', KEYS[3], id .. '|' .. ARGV[r])
            end
            redis.call('ZADD', KEYS[4], created, id)
            redis.call('ZADD', KEYS[5], created, id)
            return 1
            """
    )

    /// Takes a task popped onto the shard's `claimed` list: lease, owner and a fresh fencing token
    /// (`epoch`) in one step. Returns `{'ok', epoch, attempts, max_attempts, agent_id, role, input,
    /// options, answer|false, workflow_type, {dep_agent_id, dep_output, …}}`, or `{'lost'}`
    /// (the reaper took it back), `{'gone'}` (workflow deleted), `{'skip'}` (not ready).
    ///
    /// KEYS: claimed, leases, wf, tasks, state:pending, state:running.
    /// ARGV: ref, index, worker, now_ms, lease_ms.
    static let claim = RedisScript(
        name: "claim",
        source: LuaLibrary.claimTask + """
            return claim_task(KEYS[1], KEYS[2], KEYS[5], KEYS[6], KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3],
              tonumber(ARGV[4]), tonumber(ARGV[5]))
            """
    )

    /// Stores a provider's answer before the task is acknowledged (at-most-once billing): a
    /// redelivered task finds it and does not call the provider again. Fenced by `epoch`.
    ///
    /// KEYS: wf, tasks. ARGV: index, epoch, answer_json. Returns 1, or 0 when stale.
    static let storeAnswer = RedisScript(
        name: "store-answer",
        source: """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            local i = ARGV[1]
            local task = redis.call('HMGET', KEYS[2], i .. ':status', i .. ':epoch')
            if task[1] ~= 'running' or task[2] ~= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[2], i .. ':answer', ARGV[3])
            return 1
            """
    )

    /// Completes a running task (fenced by `epoch`), releases each dependent whose last input
    /// this was, and finishes the workflow when nothing is left. Returns `ok`, `stale` or `gone`.
    ///
    /// When `usage_label` (`<provider>/<model>`) is not empty it also counts the call and its tokens
    /// in the shard's `usage` hash (fields `<label>:calls|prompt_tokens|completion_tokens`).
    ///
    /// KEYS: wf, tasks, leases, ready, state:pending, state:running, state:completed, state:failed,
    /// state:partial, usage. ARGV: ref, index, epoch, now_ms, result_json, output, prompt_tokens,
    /// completion_tokens, retention_s, channel, usage_label.
    static let complete = RedisScript(
        name: "complete",
        source: LuaLibrary.finish + """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
            local i = ARGV[2]
            local task = redis.call('HMGET', KEYS[2], i .. ':status', i .. ':epoch', i .. ':dependents')
            if task[1] ~= 'running' or task[2] ~= ARGV[3] then return 'stale' end
            redis.call('HSET', KEYS[2], i .. ':status', 'completed', i .. ':completed_at', ARGV[4],
              i .. ':result', ARGV[5], i .. ':output', ARGV[6])
            redis.call('HDEL', KEYS[2], i .. ':answer', i .. ':error')
            redis.call('ZREM', KEYS[3], ARGV[1])
            redis.call('HINCRBY', KEYS[1], 'completed', 1)
            if tonumber(ARGV[7]) > 0 then redis.call('HINCRBY', KEYS[1], 'prompt_tokens', ARGV[7]) end
            if tonumber(ARGV[8]) > 0 then redis.call('HINCRBY', KEYS[1], 'completion_tokens', ARGV[8]) end
            if KEYS[10] and ARGV[11] and ARGV[11] ~= '' then
              redis.call('HINCRBY', KEYS[10], ARGV[11] .. ':calls', 1)
              if tonumber(ARGV[7]) > 0 then redis.call('HINCRBY', KEYS[10], ARGV[11] .. ':prompt_tokens', ARGV[7]) end
              if tonumber(ARGV[8]) > 0 then redis.call('HINCRBY', KEYS[10], ARGV[11] .. ':completion_tokens', ARGV[8]) end
            end
            local remaining = redis.call('HINCRBY', KEYS[1], 'remaining', -1)
            local id = string.match(ARGV[1], '^(.*)|')
            if task[3] and task[3] ~= '' then
              for d in string.gmatch(task[3], '[^,]+') do
                if redis.call('HINCRBY', KEYS[2], d .. ':waiting', -1) == 0
                  and redis.call('HGET', KEYS[2], d .. ':status') == 'pending' then
                  redis.call('HSET', KEYS[2], d .. ':status', 'queued')
                  redis.call('RPUSH', KEYS[4], id .. '|' .. d)
                end
              end
            end
            if remaining <= 0 then
              finish(KEYS[1], KEYS[2], ARGV[4], ARGV[9], ARGV[10],
                {pending = KEYS[5], running = KEYS[6], completed = KEYS[7], failed = KEYS[8], partial = KEYS[9]})
            end
            return 'ok'
            """
    )

    /// Fails a running task (fenced by `epoch`). With a retry time and attempts left (or a
    /// refunded attempt, for rate limits) it goes to the delayed set; otherwise it fails for
    /// good with its dependents. Returns `retry`, `failed`, `stale` or `gone`.
    ///
    /// KEYS: wf, tasks, leases, delayed, state:pending, state:running, state:completed,
    /// state:failed, state:partial. ARGV: ref, index, epoch, now_ms, error, retry_at_ms (0: none),
    /// refund (1: the attempt is not spent), retention_s, channel, max_refunds (0 or absent: no
    /// limit; otherwise refunds are counted in `<index>:refunds` and those beyond it spend the
    /// attempt, so a rate limit that never lifts still ends the task).
    static let fail = RedisScript(
        name: "fail",
        source: LuaLibrary.finish + LuaLibrary.failTask + """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
            local i = ARGV[2]
            local task = redis.call('HMGET', KEYS[2], i .. ':status', i .. ':epoch', i .. ':attempts', i .. ':max_attempts')
            if task[1] ~= 'running' or task[2] ~= ARGV[3] then return 'stale' end
            redis.call('ZREM', KEYS[3], ARGV[1])
            local attempts = tonumber(task[3])
            if ARGV[7] == '1' then
              local limit = tonumber(ARGV[10] or '0') or 0
              if limit <= 0 or redis.call('HINCRBY', KEYS[2], i .. ':refunds', 1) <= limit then
                attempts = attempts - 1
                redis.call('HSET', KEYS[2], i .. ':attempts', attempts)
              end
            end
            if tonumber(ARGV[6]) > 0 and attempts < tonumber(task[4]) then
              redis.call('HSET', KEYS[2], i .. ':status', 'delayed', i .. ':error', ARGV[5])
              redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
              return 'retry'
            end
            local remaining = fail_task(KEYS[1], KEYS[2], i, ARGV[4], ARGV[5])
            if remaining <= 0 then
              finish(KEYS[1], KEYS[2], ARGV[4], ARGV[8], ARGV[9],
                {pending = KEYS[5], running = KEYS[6], completed = KEYS[7], failed = KEYS[8], partial = KEYS[9]})
            end
            return 'failed'
            """
    )
}
