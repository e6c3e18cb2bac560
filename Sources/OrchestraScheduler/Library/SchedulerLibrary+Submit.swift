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
            for k = 8, #args, 1000 do
              redis.call('HSET', tasks, unpack(args, k, math.min(k + 999, #args)))
            end
            emit(ctx, 'workflow.submitted', {'task_count', task_count})
            for r in string.gmatch(roots, '[^,]+') do enqueue(ctx, tasks, ready, r, now) end
            redis.call('ZADD', workflows, now, id)
            redis.call('ZADD', pending, now, id)
            return {'outcome', 'created', 'created_at', now}
            """
    )
}
