extension SchedulerLibrary {
    /// Adds a delegating task's plan to its workflow while the task runs (fenced by `epoch`), once:
    /// `<i>:expanded = "<first>:<count>"` makes a redelivered expansion a no-op.
    ///
    /// One group per new task, in plan order, the synthesis step last. The new tasks get indices
    /// `task_count …`; their `deps` are plan-relative positions in the arguments and stored
    /// absolute; a task with none waits for the delegating task `i` instead, and `i`'s
    /// `dependents` become exactly those roots, so its normal completion releases them. The last
    /// new task takes over `i`'s former dependents: each now waits for it in place of `i` (their
    /// `waiting` counts are unchanged). `task_count` and `remaining` grow, so the workflow ends
    /// after them. Emits `workflow.expanded`. Reply: `{outcome = ok|already, first, count}`,
    /// `{outcome = conflict, agent_id}` (an id the workflow has; nothing written), `stale`, `gone`.
    static let expand = LuaFunction(
        "expand",
        keys: ["wf", "tasks", "events", "shard_events"],
        arguments: ["index", "epoch", "wmax", "smax"],
        groupArguments: [
            "agent_id", "role", "input", "deps", "depends_on", "max_attempts", "llm_model", "temperature", "max_tokens",
            "system_prompt", "timeout_s", "delegate",
        ],
        body: """
            if redis.call('EXISTS', wf) == 0 then return {'outcome', 'gone'} end
            local c = index
            local task = redis.call('HMGET', tasks, tf(c, 'status'), tf(c, 'epoch'), tf(c, 'expanded'), tf(c, 'dependents'))
            if task[1] ~= 'running' or task[2] ~= epoch then return {'outcome', 'stale'} end
            if task[3] then
              local first, count = string.match(task[3], '^(%d+):(%d+)$')
              return {'outcome', 'already', 'first', tonumber(first), 'count', tonumber(count)}
            end
            local n = groups
            local info = redis.call('HMGET', wf, 'task_count', 'workflow_id', 'workflow_type')
            local base = tonumber(info[1])
            local taken = {}
            for start = 0, base - 1, 1000 do
              local fields = {}
              for t = start, math.min(start + 999, base - 1) do fields[#fields + 1] = tf(t, 'agent_id') end
              for _, id in ipairs(redis.call('HMGET', tasks, unpack(fields))) do
                if id then taken[id] = true end
              end
            end
            for g = 1, n do
              local id = item(g).agent_id
              if taken[id] then return {'outcome', 'conflict', 'agent_id', id} end
              taken[id] = true
            end
            local deps, dependents, roots, names = {}, {}, {}, {}
            for k = 0, n - 1 do
              deps[k], dependents[k] = {}, {}
              for r in string.gmatch(item(k + 1).deps, '[^,]+') do
                local rel = tonumber(r)
                table.insert(deps[k], base + rel)
                table.insert(dependents[rel], base + k)
              end
            end
            local last = base + n - 1
            for k = 0, n - 1 do
              local it = item(k + 1)
              local i = base + k
              local inputs = deps[k]
              if #inputs == 0 then
                inputs = {c}
                table.insert(roots, i)
              end
              local after = table.concat(dependents[k], ',')
              if k == n - 1 and task[4] and task[4] ~= '' then
                after = (after == '' and task[4]) or (after .. ',' .. task[4])
              end
              local fields = {tf(i, 'agent_id'), it.agent_id, tf(i, 'role'), it.role, tf(i, 'input'), it.input,
                tf(i, 'deps'), table.concat(inputs, ','), tf(i, 'dependents'), after, tf(i, 'waiting'), #inputs,
                tf(i, 'status'), 'pending', tf(i, 'max_attempts'), it.max_attempts}
              for _, name in ipairs({'depends_on', 'llm_model', 'temperature', 'max_tokens', 'system_prompt', 'timeout_s',
                'delegate'}) do
                if it[name] ~= '' then fields[#fields + 1] = tf(i, name); fields[#fields + 1] = it[name] end
              end
              redis.call('HSET', tasks, unpack(fields))
              names[#names + 1] = it.agent_id
            end
            if task[4] and task[4] ~= '' then
              for d in string.gmatch(task[4], '[^,]+') do
                local inputs = {}
                for x in string.gmatch(redis.call('HGET', tasks, tf(d, 'deps')) or '', '[^,]+') do
                  inputs[#inputs + 1] = (x == c) and tostring(last) or x
                end
                redis.call('HSET', tasks, tf(d, 'deps'), table.concat(inputs, ','))
              end
            end
            redis.call('HSET', tasks, tf(c, 'dependents'), table.concat(roots, ','), tf(c, 'expanded'), base .. ':' .. n)
            redis.call('HINCRBY', wf, 'task_count', n)
            redis.call('HINCRBY', wf, 'remaining', n)
            local ctx = {ev = events, sev = shard_events, wmax = wmax, smax = smax, id = info[2], wtype = info[3]}
            emit(ctx, 'workflow.expanded', {'index', c, 'first', base, 'count', n, 'agent_ids', table.concat(names, ',')})
            return {'outcome', 'ok', 'first', base, 'count', n}
            """
    )
}
