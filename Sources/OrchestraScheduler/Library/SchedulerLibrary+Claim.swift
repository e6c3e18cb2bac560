extension SchedulerLibrary {
    /// Moves up to `limit` ready references to the shard's `claimed` list without blocking: the
    /// first step of a claim (``claim`` is the second). A worker that dies between the two leaves
    /// them on `claimed`, where the reaper finds them (``recoverClaimed``). Reply: the references.
    static let popReady = LuaFunction(
        "pop_ready",
        keys: ["ready", "claimed"],
        arguments: ["limit"],
        body: """
            local refs = redis.call('LPOP', ready, limit)
            if not refs then return {} end
            redis.call('RPUSH', claimed, unpack(refs))
            return refs
            """
    )

    /// Leases references already on the shard's `claimed` list (moved by ``popReady`` or a
    /// blocking `BLMOVE`): owner, deadline and a fresh fencing token in one step (DESIGN §3.2),
    /// and `task.started`. Reply, per reference: `{outcome = ok|lost|gone|skip, …}` where `ok`
    /// carries `epoch`, `attempt`, `max_attempts`, `agent_id`, `role`, `input`, `workflow_type`,
    /// `waited_ms`, the options that are set, a stored answer if any (`output`, `provider`,
    /// `model`, tokens) and `deps` (`{agent_id, output, …}` of its inputs). `lost`: the reaper took
    /// it back; `gone`: the workflow was deleted; `skip`: the task is not ready (a stale reference).
    static let claim = LuaFunction(
        "claim",
        keys: ["claimed", "leases", "pending", "running", "shard_events"],
        arguments: ["worker", "lease_ms", "wmax", "smax"],
        groupKeys: ["wf", "tasks", "events"],
        groupArguments: ["ref", "index"],
        body: """
            local now = now_ms()
            local optional = {'llm_model', 'temperature', 'max_tokens', 'system_prompt', 'timeout_s', 'delegate',
              'output', 'provider', 'model', 'prompt_tokens', 'completion_tokens'}
            local function claim_one(it)
              if redis.call('LREM', claimed, -1, it.ref) == 0 then return {'outcome', 'lost'} end
              local w = redis.call('HMGET', it.wf, 'status', 'workflow_id', 'created_at', 'workflow_type')
              if not w[1] then return {'outcome', 'gone'} end
              local i = it.index
              local t = redis.call('HMGET', it.tasks, tf(i, 'status'), tf(i, 'epoch'), tf(i, 'attempts'), tf(i, 'max_attempts'),
                tf(i, 'agent_id'), tf(i, 'role'), tf(i, 'input'), tf(i, 'deps'), tf(i, 'queued_at'),
                tf(i, 'llm_model'), tf(i, 'temperature'), tf(i, 'max_tokens'), tf(i, 'system_prompt'), tf(i, 'timeout_s'),
                tf(i, 'delegate'), tf(i, 'output'), tf(i, 'provider'), tf(i, 'model'), tf(i, 'prompt_tokens'),
                tf(i, 'completion_tokens'), tf(i, 'started_at'))
              if t[1] ~= 'queued' then return {'outcome', 'skip'} end
              local epoch = (tonumber(t[2]) or 0) + 1
              local attempt = (tonumber(t[3]) or 0) + 1
              local set = {tf(i, 'status'), 'running', tf(i, 'epoch'), epoch, tf(i, 'attempts'), attempt, tf(i, 'worker'), worker}
              -- started_at is the first attempt's start.
              if not t[21] then set[#set + 1] = tf(i, 'started_at'); set[#set + 1] = now end
              redis.call('HSET', it.tasks, unpack(set))
              redis.call('ZADD', leases, now + tonumber(lease_ms), it.ref)
              if w[1] == 'pending' then
                redis.call('HSET', it.wf, 'status', 'running', 'started_at', now)
                redis.call('ZREM', pending, w[2])
                redis.call('ZADD', running, w[3], w[2])
              end
              local ctx = {ev = it.events, sev = shard_events, wmax = wmax, smax = smax, id = w[2], wtype = w[4]}
              emit(ctx, 'task.started', {'index', i, 'agent_id', t[5], 'worker_id', worker, 'attempt', attempt})
              local reply = {'outcome', 'ok', 'epoch', epoch, 'attempt', attempt, 'max_attempts', t[4], 'agent_id', t[5],
                'role', t[6], 'input', t[7], 'workflow_type', w[4], 'waited_ms', now - (tonumber(t[9]) or now)}
              for k, name in ipairs(optional) do
                if t[9 + k] then reply[#reply + 1] = name; reply[#reply + 1] = t[9 + k] end
              end
              if t[8] and t[8] ~= '' then
                local deps = {}
                for d in string.gmatch(t[8], '[^,]+') do
                  local o = redis.call('HMGET', it.tasks, tf(d, 'agent_id'), tf(d, 'output'))
                  deps[#deps + 1] = o[1] or ''
                  deps[#deps + 1] = o[2] or ''
                end
                reply[#reply + 1] = 'deps'
                reply[#reply + 1] = deps
              end
              return reply
            end
            local results = {}
            for g = 1, groups do results[g] = claim_one(item(g)) end
            return results
            """
    )

    /// Puts a popped reference back at the head of the ready list, for a worker that found no
    /// free capacity after its blocking pop. Reply: 1 when moved, 0 when it was no longer claimed.
    static let unclaim = LuaFunction(
        "unclaim",
        keys: ["claimed", "ready"],
        arguments: ["ref"],
        body: """
            if redis.call('LREM', claimed, -1, ref) == 0 then return 0 end
            redis.call('LPUSH', ready, ref)
            return 1
            """
    )
}
