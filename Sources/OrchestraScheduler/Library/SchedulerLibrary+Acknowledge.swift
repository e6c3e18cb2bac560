extension SchedulerLibrary {
    /// Stores a provider's answer before the task is acknowledged (DESIGN §3.7): a redelivered task
    /// finds it and does not call the provider again. Fenced by `epoch`. Token counts are empty
    /// strings when unknown. Reply: `ok`, `stale` or `gone`.
    static let storeAnswer = LuaFunction(
        "store_answer",
        keys: ["wf", "tasks"],
        arguments: ["index", "epoch", "output", "provider", "model", "prompt_tokens", "completion_tokens"],
        body: """
            if redis.call('EXISTS', wf) == 0 then return 'gone' end
            local i = index
            local t = redis.call('HMGET', tasks, tf(i, 'status'), tf(i, 'epoch'))
            if t[1] ~= 'running' or t[2] ~= epoch then return 'stale' end
            local fields = {tf(i, 'output'), output, tf(i, 'provider'), provider, tf(i, 'model'), model}
            if prompt_tokens ~= '' then fields[#fields + 1] = tf(i, 'prompt_tokens'); fields[#fields + 1] = prompt_tokens end
            if completion_tokens ~= '' then
              fields[#fields + 1] = tf(i, 'completion_tokens'); fields[#fields + 1] = completion_tokens
            end
            redis.call('HSET', tasks, unpack(fields))
            return 'ok'
            """
    )

    /// Completes a running task (fenced by `epoch`): its answer (`answer = inline`, from the
    /// arguments, or `stored`, from an earlier ``storeAnswer``) and optional `plan`, usage counted
    /// per workflow and per shard, `task.completed`, each dependent released exactly when its last
    /// input arrives (DESIGN §3.5), and the workflow finished when nothing is left.
    /// Reply: `ok`, `stale` or `gone`.
    static let complete = LuaFunction(
        "complete",
        keys: [
            "wf", "tasks", "events", "leases", "ready", "pending", "running", "completed", "failed", "partial", "usage",
            "shard_events",
        ],
        arguments: [
            "ref", "index", "epoch", "retention", "channel", "wmax", "smax", "answer", "output", "provider", "model",
            "prompt_tokens", "completion_tokens", "plan",
        ],
        body: """
            -- The workflow's counters are read here and written back once (the function is atomic).
            local w = redis.call('HMGET', wf, 'created_at', 'task_count', 'failed', 'prompt_tokens', 'completion_tokens',
              'status', 'workflow_type', 'remaining')
            if not w[6] then return 'gone' end
            local i = index
            local t = redis.call('HMGET', tasks, tf(i, 'status'), tf(i, 'epoch'), tf(i, 'dependents'), tf(i, 'agent_id'),
              tf(i, 'output'), tf(i, 'provider'), tf(i, 'model'), tf(i, 'prompt_tokens'), tf(i, 'completion_tokens'),
              tf(i, 'error'))
            if t[1] ~= 'running' or t[2] ~= epoch then return 'stale' end
            local now = now_ms()
            local ctx = {ev = events, sev = shard_events, wmax = wmax, smax = smax, id = ref_id(ref), wtype = w[7]}
            local o, p, m, pt, ct = output, provider, model, prompt_tokens, completion_tokens
            local fields = {tf(i, 'status'), 'completed', tf(i, 'completed_at'), now}
            if answer == 'stored' then
              o, p, m, pt, ct = t[5] or '', t[6] or '', t[7] or '', t[8] or '', t[9] or ''
            else
              for _, pair in ipairs({{'output', o}, {'provider', p}, {'model', m}, {'prompt_tokens', pt},
                {'completion_tokens', ct}}) do
                if pair[2] ~= '' or pair[1] == 'output' then
                  fields[#fields + 1] = tf(i, pair[1]); fields[#fields + 1] = pair[2]
                end
              end
            end
            if plan ~= '' then fields[#fields + 1] = tf(i, 'plan'); fields[#fields + 1] = plan end
            redis.call('HSET', tasks, unpack(fields))
            if t[10] then redis.call('HDEL', tasks, tf(i, 'error')) end
            redis.call('ZREM', leases, ref)
            local ptn, ctn = tonumber(pt) or 0, tonumber(ct) or 0
            local remaining = (tonumber(w[8]) or 0) - 1
            local wfields = {'remaining', remaining}
            if ptn > 0 then
              w[4] = (tonumber(w[4]) or 0) + ptn
              wfields[#wfields + 1] = 'prompt_tokens'; wfields[#wfields + 1] = w[4]
            end
            if ctn > 0 then
              w[5] = (tonumber(w[5]) or 0) + ctn
              wfields[#wfields + 1] = 'completion_tokens'; wfields[#wfields + 1] = w[5]
            end
            if p ~= '' then
              local label = p .. '/' .. m
              redis.call('HINCRBY', usage, label .. ':calls', 1)
              if ptn > 0 then redis.call('HINCRBY', usage, label .. ':prompt_tokens', ptn) end
              if ctn > 0 then redis.call('HINCRBY', usage, label .. ':completion_tokens', ctn) end
            end
            emit(ctx, 'task.completed', {'index', i, 'agent_id', t[4], 'provider', p, 'model', m, 'prompt_tokens', pt,
              'completion_tokens', ct}, {'output', o})
            -- The last task's counters go out with the workflow's final status, in finish's HSET.
            if remaining > 0 then redis.call('HSET', wf, unpack(wfields)) end
            if t[3] and t[3] ~= '' then
              for d in string.gmatch(t[3], '[^,]+') do
                if redis.call('HINCRBY', tasks, tf(d, 'waiting'), -1) == 0
                  and redis.call('HGET', tasks, tf(d, 'status')) == 'pending' then
                  enqueue(ctx, tasks, ready, d, now)
                end
              end
            end
            if remaining <= 0 then
              finish(ctx, wf, tasks, {pending = pending, running = running, completed = completed, failed = failed,
                partial = partial}, now, retention, channel, w, wfields)
            end
            return 'ok'
            """
    )

    /// Fails a running task's attempt (fenced by `epoch`). With `retry_ms` ≥ 0 and attempts left
    /// (a refunded attempt — a provider's rate limit — does not count, up to `max_refunds` over the
    /// task's life when that is > 0) it waits in the delayed set until then (`task.retrying`);
    /// otherwise it fails for good with its dependents (DESIGN §3.6, §3.8).
    /// Reply: `retry`, `failed`, `stale` or `gone`.
    static let fail = LuaFunction(
        "fail",
        keys: ["wf", "tasks", "events", "leases", "delayed", "pending", "running", "completed", "failed", "partial", "shard_events"],
        arguments: ["ref", "index", "epoch", "message", "retry_ms", "refund", "max_refunds", "retention", "channel", "wmax", "smax"],
        body: """
            if redis.call('EXISTS', wf) == 0 then return 'gone' end
            local i = index
            local t = redis.call('HMGET', tasks, tf(i, 'status'), tf(i, 'epoch'), tf(i, 'attempts'), tf(i, 'max_attempts'),
              tf(i, 'agent_id'))
            if t[1] ~= 'running' or t[2] ~= epoch then return 'stale' end
            local now = now_ms()
            local ctx = {ev = events, sev = shard_events, wmax = wmax, smax = smax, id = ref_id(ref),
              wtype = redis.call('HGET', wf, 'workflow_type')}
            redis.call('ZREM', leases, ref)
            local attempts = tonumber(t[3])
            if refund == '1' then
              local limit = tonumber(max_refunds) or 0
              if limit <= 0 or redis.call('HINCRBY', tasks, tf(i, 'refunds'), 1) <= limit then
                attempts = attempts - 1
                redis.call('HSET', tasks, tf(i, 'attempts'), attempts)
              end
            end
            local delay = tonumber(retry_ms)
            if delay >= 0 and attempts < tonumber(t[4]) then
              local at = now + delay
              redis.call('HSET', tasks, tf(i, 'status'), 'delayed', tf(i, 'error'), message)
              redis.call('HDEL', tasks, tf(i, 'output'), tf(i, 'provider'), tf(i, 'model'), tf(i, 'prompt_tokens'),
                tf(i, 'completion_tokens'))
              redis.call('ZADD', delayed, at, ref)
              emit(ctx, 'task.retrying', {'index', i, 'agent_id', t[5], 'error', message, 'attempt', t[3], 'retry_at', at})
              return 'retry'
            end
            local remaining = fail_task(ctx, wf, tasks, i, now, message)
            if remaining <= 0 then
              finish(ctx, wf, tasks, {pending = pending, running = running, completed = completed, failed = failed,
                partial = partial}, now, retention, channel)
            end
            return 'failed'
            """
    )

    /// Renews the leases a worker holds (DESIGN §3.3). Reply per task: 1 renewed, 0 lost (the
    /// task is no longer this claim's), -1 its workflow is gone (cancelled).
    static let renew = LuaFunction(
        "renew",
        keys: ["leases"],
        arguments: ["lease_ms"],
        groupKeys: ["wf", "tasks"],
        groupArguments: ["ref", "index", "epoch"],
        body: """
            local deadline = now_ms() + tonumber(lease_ms)
            local results = {}
            for g = 1, groups do
              local it = item(g)
              if redis.call('EXISTS', it.wf) == 0 then
                redis.call('ZREM', leases, it.ref)
                results[g] = -1
              else
                local t = redis.call('HMGET', it.tasks, tf(it.index, 'status'), tf(it.index, 'epoch'))
                if t[1] == 'running' and t[2] == it.epoch then
                  redis.call('ZADD', leases, 'XX', deadline, it.ref)
                  results[g] = 1
                else
                  results[g] = 0
                end
              end
            end
            return results
            """
    )
}

extension SchedulerLibrary {
    /// Appends a `task.token` event to the workflow's stream while the task runs under this claim
    /// (fenced by `epoch`). Tokens go to the workflow's stream only, never the cluster-wide one.
    /// Reply: `ok`, `stale` or `gone`.
    static let appendToken = LuaFunction(
        "append_token",
        keys: ["wf", "tasks", "events"],
        arguments: ["index", "epoch", "wmax", "agent_id", "attempt", "delta"],
        body: """
            if redis.call('EXISTS', wf) == 0 then return 'gone' end
            local t = redis.call('HMGET', tasks, tf(index, 'status'), tf(index, 'epoch'))
            if t[1] ~= 'running' or t[2] ~= epoch then return 'stale' end
            if tonumber(wmax) == 0 then return 'ok' end
            redis.call('XADD', events, 'MAXLEN', '=', wmax, '*', 'type', 'task.token', 'index', index, 'agent_id', agent_id,
              'attempt', attempt, 'delta', delta)
            return 'ok'
            """
    )
}
