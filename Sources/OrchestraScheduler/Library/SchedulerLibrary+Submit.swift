extension SchedulerLibrary {
    /// Writes a workflow, its tasks and its ready roots in one step, or nothing when the id exists
    /// (DESIGN §3.1). The task fields come as field/value pairs after the fixed arguments.
    /// Reply: `{outcome = created|exists, created_at}`.
    static let submit = LuaFunction(
        "submit",
        keys: ["wf", "tasks", "events", "ready", "workflows", "pending", "shard_events"],
        arguments: ["id", "workflow_type", "metadata", "task_count", "roots", "wmax", "smax"],
        body: """
            if redis.call('EXISTS', wf) == 1 then return {'outcome', 'exists'} end
            local now = now_ms()
            local ctx = {ev = events, sev = shard_events, wmax = wmax, smax = smax, id = id, wtype = workflow_type}
            -- A stream left by a cancelled workflow of the same id must not replay into this one.
            redis.call('DEL', events)
            local fields = {'workflow_id', id, 'workflow_type', workflow_type, 'status', 'pending', 'created_at', now,
              'task_count', task_count, 'remaining', task_count}
            if metadata ~= '' then fields[#fields + 1] = 'metadata'; fields[#fields + 1] = metadata end
            redis.call('HSET', wf, unpack(fields))
            -- The roots are ready at once: their status and queue time go out with the task fields
            -- (a later field of one HSET wins), all refs in one RPUSH, their agents in one HMGET.
            local root_list, refs, agent_fields = {}, {}, {}
            for r in string.gmatch(roots, '[^,]+') do
              root_list[#root_list + 1] = r
              refs[#refs + 1] = id .. '|' .. r
              agent_fields[#agent_fields + 1] = tf(r, 'agent_id')
              args[#args + 1] = tf(r, 'status'); args[#args + 1] = 'queued'
              args[#args + 1] = tf(r, 'queued_at'); args[#args + 1] = now
            end
            for k = 8, #args, 1000 do
              redis.call('HSET', tasks, unpack(args, k, math.min(k + 999, #args)))
            end
            emit(ctx, 'workflow.submitted', {'task_count', task_count})
            if #root_list > 0 then
              for k = 1, #refs, 1000 do redis.call('RPUSH', ready, unpack(refs, k, math.min(k + 999, #refs))) end
              local agents = redis.call('HMGET', tasks, unpack(agent_fields))
              for k, r in ipairs(root_list) do emit(ctx, 'task.queued', {'index', r, 'agent_id', agents[k]}) end
            end
            redis.call('ZADD', workflows, now, id)
            redis.call('ZADD', pending, now, id)
            return {'outcome', 'created', 'created_at', now}
            """
    )
}
