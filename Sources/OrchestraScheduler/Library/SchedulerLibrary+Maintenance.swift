extension SchedulerLibrary {
    /// Deletes a workflow and cancels what is left of it (DESIGN §3.9): its leases and delayed
    /// retries go, queued references are dropped by ``claim`` when they surface, running workers
    /// are told on the notification channel (`cancel <id>`) and by their next renewal. An unfinished
    /// workflow's stream ends with `workflow.cancelled` and is kept `keep_events` seconds more.
    /// Reply: 1, or 0 when the workflow does not exist.
    static let cancel = LuaFunction(
        "cancel",
        keys: [
            "wf", "tasks", "events", "leases", "delayed", "workflows", "pending", "running", "completed", "failed", "partial",
            "shard_events",
        ],
        arguments: ["id", "channel", "wmax", "smax", "keep_events"],
        body: """
            local info = redis.call('HMGET', wf, 'task_count', 'workflow_type', 'status')
            local count = tonumber(info[1])
            if not count then return 0 end
            for i = 0, count - 1 do
              local ref = id .. '|' .. i
              redis.call('ZREM', leases, ref)
              redis.call('ZREM', delayed, ref)
            end
            redis.call('DEL', wf, tasks)
            for _, key in ipairs({workflows, pending, running, completed, failed, partial}) do redis.call('ZREM', key, id) end
            if info[3] == 'pending' or info[3] == 'running' then
              local ctx = {ev = events, sev = shard_events, wmax = wmax, smax = smax, id = id, wtype = info[2]}
              emit(ctx, 'workflow.cancelled', {})
              redis.call('EXPIRE', events, keep_events)
            end
            redis.call('SPUBLISH', channel, 'cancel ' .. id)
            return 1
            """
    )

    /// What the reaper has to do in a shard, by the server's clock: leases that expired, delayed
    /// retries that are due, and finished workflows created before `now - retention_ms` (whose
    /// records may have expired). Reply: `{expired = refs, due = refs, finished = ids}`.
    static let due = LuaFunction(
        "due",
        keys: ["leases", "delayed", "completed", "failed", "partial"],
        arguments: ["batch", "retention_ms"],
        readOnly: true,
        body: """
            local now = now_ms()
            local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, batch)
            local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, batch)
            local finished = {}
            local seen = {}
            if tonumber(retention_ms) > 0 then
              local cutoff = now - tonumber(retention_ms)
              for _, key in ipairs({completed, failed, partial}) do
                for _, id in ipairs(redis.call('ZRANGEBYSCORE', key, '-inf', cutoff, 'LIMIT', 0, batch)) do
                  if not seen[id] then seen[id] = true; finished[#finished + 1] = id end
                end
              end
            end
            return {'expired', expired, 'due', due, 'finished', finished}
            """
    )

    /// Reaps one expired lease (the worker died or stalled): the task is queued again
    /// (`task.retrying`, then `task.queued`), or fails for good when its attempts are spent.
    /// Reply: `requeued`, `failed`, `renewed` (renewed meanwhile) or `gone`.
    static let expireLease = LuaFunction(
        "expire_lease",
        keys: ["wf", "tasks", "events", "leases", "ready", "pending", "running", "completed", "failed", "partial", "shard_events"],
        arguments: ["ref", "index", "retention", "channel", "wmax", "smax"],
        body: """
            local score = redis.call('ZSCORE', leases, ref)
            if not score then return 'gone' end
            local now = now_ms()
            if tonumber(score) > now then return 'renewed' end
            redis.call('ZREM', leases, ref)
            if redis.call('EXISTS', wf) == 0 then return 'gone' end
            local i = index
            local t = redis.call('HMGET', tasks, tf(i, 'status'), tf(i, 'attempts'), tf(i, 'max_attempts'), tf(i, 'worker'),
              tf(i, 'agent_id'))
            if t[1] ~= 'running' then return 'gone' end
            local ctx = {ev = events, sev = shard_events, wmax = wmax, smax = smax, id = ref_id(ref),
              wtype = redis.call('HGET', wf, 'workflow_type')}
            if tonumber(t[2]) < tonumber(t[3]) then
              local message = 'lease expired on worker ' .. (t[4] or '?')
              redis.call('HSET', tasks, tf(i, 'error'), message)
              emit(ctx, 'task.retrying', {'index', i, 'agent_id', t[5], 'error', message, 'attempt', t[2], 'retry_at', now})
              enqueue(ctx, tasks, ready, i, now)
              return 'requeued'
            end
            local message = 'lease expired on worker ' .. (t[4] or '?') .. ' after ' .. t[2] .. ' attempts'
            if fail_task(ctx, wf, tasks, i, now, message) <= 0 then
              finish(ctx, wf, tasks, {pending = pending, running = running, completed = completed, failed = failed,
                partial = partial}, now, retention, channel)
            end
            return 'failed'
            """
    )

    /// Moves a delayed task whose retry is due back to the ready queue. Reply: 1 when queued.
    static let promote = LuaFunction(
        "promote",
        keys: ["wf", "tasks", "events", "delayed", "ready", "shard_events"],
        arguments: ["ref", "index", "wmax", "smax"],
        body: """
            local score = redis.call('ZSCORE', delayed, ref)
            local now = now_ms()
            if not score or tonumber(score) > now then return 0 end
            redis.call('ZREM', delayed, ref)
            if redis.call('HGET', tasks, tf(index, 'status')) ~= 'delayed' then return 0 end
            local ctx = {ev = events, sev = shard_events, wmax = wmax, smax = smax, id = ref_id(ref),
              wtype = redis.call('HGET', wf, 'workflow_type')}
            enqueue(ctx, tasks, ready, index, now)
            return 1
            """
    )

    /// Returns references stuck on the `claimed` list (a worker died between its pop and its
    /// claim) to the ready queue. A reference counts as stuck when the previous run saw it too; a
    /// live claim takes microseconds. Reply: how many were moved back.
    static let recoverClaimed = LuaFunction(
        "recover_claimed",
        keys: ["claimed", "seen", "ready"],
        body: """
            local current = redis.call('LRANGE', claimed, 0, 999)
            local moved = 0
            for _, ref in ipairs(current) do
              if redis.call('SISMEMBER', seen, ref) == 1 and redis.call('LREM', claimed, 1, ref) > 0 then
                redis.call('RPUSH', ready, ref)
                moved = moved + 1
              end
            end
            redis.call('DEL', seen)
            for start = 1, #current, 500 do
              redis.call('SADD', seen, unpack(current, start, math.min(start + 499, #current)))
            end
            redis.call('PEXPIRE', seen, 60000)
            return moved
            """
    )

    /// Forgets finished workflows whose records expired: their ids leave the listing sets, which
    /// would otherwise grow forever. A workflow whose hash still exists (or exists again: an id
    /// may be reused once its record expired) is left alone. Reply: how many were forgotten.
    static let forgetExpired = LuaFunction(
        "forget_expired",
        keys: ["workflows", "completed", "failed", "partial"],
        groupKeys: ["wf"],
        groupArguments: ["id"],
        body: """
            local forgotten = 0
            for g = 1, groups do
              local it = item(g)
              if redis.call('EXISTS', it.wf) == 0 then
                for _, key in ipairs({workflows, completed, failed, partial}) do redis.call('ZREM', key, it.id) end
                forgotten = forgotten + 1
              end
            end
            return forgotten
            """
    )
}
