extension LuaLibrary {
    /// `claim_task(claimed, leases, pending, running, wf, tasks, ref, index, worker, now, lease_ms)`
    /// takes one reference off the shard's `claimed` list and leases its task: owner, deadline and
    /// a fresh fencing token (`epoch`) in one step. Returns `{'ok', epoch, attempts, max_attempts,
    /// agent_id, role, input, options, answer|false, workflow_type, {dep_agent_id, dep_output, …}}`,
    /// or `{'lost'}` (the reaper took it back), `{'gone'}` (workflow deleted), `{'skip'}` (not ready).
    /// Shared by the single and the batch claim scripts.
    static let claimTask = """
        local function claim_task(claimed, leases, pending, running, wf, tasks, ref, i, worker, now, lease)
          if redis.call('LREM', claimed, -1, ref) == 0 then return {'lost'} end
          local w = redis.call('HMGET', wf, 'status', 'workflow_id', 'created_at', 'workflow_type')
          if not w[1] then return {'gone'} end
          if redis.call('HGET', tasks, i .. ':status') ~= 'queued' then return {'skip'} end
          local epoch = redis.call('HINCRBY', tasks, i .. ':epoch', 1)
          local attempts = redis.call('HINCRBY', tasks, i .. ':attempts', 1)
          redis.call('HSET', tasks, i .. ':status', 'running', i .. ':worker', worker)
          redis.call('HSETNX', tasks, i .. ':started_at', now)
          redis.call('ZADD', leases, now + lease, ref)
          if w[1] == 'pending' then
            redis.call('HSET', wf, 'status', 'running', 'started_at', now)
            redis.call('ZREM', pending, w[2])
            redis.call('ZADD', running, w[3], w[2])
          end
          local f = redis.call('HMGET', tasks, i .. ':agent_id', i .. ':role', i .. ':input', i .. ':options',
            i .. ':deps', i .. ':max_attempts', i .. ':answer')
          local deps = {}
          if f[5] and f[5] ~= '' then
            for d in string.gmatch(f[5], '[^,]+') do
              local o = redis.call('HMGET', tasks, d .. ':agent_id', d .. ':output')
              table.insert(deps, o[1])
              table.insert(deps, o[2] or '')
            end
          end
          return {'ok', epoch, attempts, tonumber(f[6]), f[1], f[2], f[3], f[4] or '', f[7] or false, w[4], deps}
        end

        """
}
