import OrchestraRedis

extension SchedulerScripts {
    /// Adds a delegating task's plan to its workflow while the task runs (fenced by `epoch`), once:
    /// a marker `<i>:expanded = "<first>:<count>"` makes a redelivered expansion a no-op.
    ///
    /// The new tasks get indices `task_count … task_count + n - 1`, with the fields `submit` writes.
    /// Their `deps` are plan-relative in ARGV and stored absolute; a task with none waits for the
    /// delegating task `i` instead, and `i`'s `dependents` become exactly those roots, so its normal
    /// `complete` releases them. The last new task (the synthesis step) takes over `i`'s former
    /// dependents: each of them now waits for it in place of `i` (their `waiting` counts are
    /// unchanged). `task_count` and `remaining` grow by `n`, so the workflow ends after them.
    /// Returns `{'ok', first, n}`, `{'already', first, n}`, `{'conflict', agent_id}` (an id the
    /// workflow already has; nothing written), `{'stale'}` or `{'gone'}`.
    ///
    /// KEYS: wf, tasks. ARGV: index, epoch, n, then for each new task: agent_id, role, input_json,
    /// options_json, deps (comma-separated positions of earlier new tasks), depends_on_json, max_attempts.
    static let expand = RedisScript(
        name: "expand",
        source: """
            if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
            local c = ARGV[1]
            local task = redis.call('HMGET', KEYS[2], c .. ':status', c .. ':epoch', c .. ':expanded', c .. ':dependents')
            if task[1] ~= 'running' or task[2] ~= ARGV[2] then return {'stale'} end
            if task[3] then
              local first, count = string.match(task[3], '^(%d+):(%d+)$')
              return {'already', tonumber(first), tonumber(count)}
            end
            local n = tonumber(ARGV[3])
            local base = tonumber(redis.call('HGET', KEYS[1], 'task_count'))
            local taken = {}
            for start = 0, base - 1, 1000 do
              local fields = {}
              for t = start, math.min(start + 999, base - 1) do fields[#fields + 1] = t .. ':agent_id' end
              for _, id in ipairs(redis.call('HMGET', KEYS[2], unpack(fields))) do
                if id then taken[id] = true end
              end
            end
            for k = 0, n - 1 do
              local id = ARGV[4 + 7 * k]
              if taken[id] then return {'conflict', id} end
              taken[id] = true
            end
            local deps, dependents, roots = {}, {}, {}
            for k = 0, n - 1 do
              deps[k], dependents[k] = {}, {}
              for r in string.gmatch(ARGV[8 + 7 * k], '[^,]+') do
                local rel = tonumber(r)
                table.insert(deps[k], base + rel)
                table.insert(dependents[rel], base + k)
              end
            end
            local last = base + n - 1
            for k = 0, n - 1 do
              local i, b = base + k, 4 + 7 * k
              local inputs = deps[k]
              if #inputs == 0 then
                inputs = {c}
                table.insert(roots, i)
              end
              local after = table.concat(dependents[k], ',')
              if k == n - 1 and task[4] and task[4] ~= '' then
                after = (after == '' and task[4]) or (after .. ',' .. task[4])
              end
              redis.call('HSET', KEYS[2], i .. ':agent_id', ARGV[b], i .. ':role', ARGV[b + 1], i .. ':input', ARGV[b + 2],
                i .. ':options', ARGV[b + 3], i .. ':deps', table.concat(inputs, ','), i .. ':dependents', after,
                i .. ':waiting', #inputs, i .. ':status', 'pending', i .. ':attempts', 0,
                i .. ':max_attempts', ARGV[b + 6], i .. ':depends_on', ARGV[b + 5])
            end
            if task[4] and task[4] ~= '' then
              for d in string.gmatch(task[4], '[^,]+') do
                local inputs = {}
                for x in string.gmatch(redis.call('HGET', KEYS[2], d .. ':deps') or '', '[^,]+') do
                  inputs[#inputs + 1] = (x == c) and tostring(last) or x
                end
                redis.call('HSET', KEYS[2], d .. ':deps', table.concat(inputs, ','))
              end
            end
            redis.call('HSET', KEYS[2], c .. ':dependents', table.concat(roots, ','), c .. ':expanded', base .. ':' .. n)
            redis.call('HINCRBY', KEYS[1], 'task_count', n)
            redis.call('HINCRBY', KEYS[1], 'remaining', n)
            return {'ok', base, n}
            """
    )
}
