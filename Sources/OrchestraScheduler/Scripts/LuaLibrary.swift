/// Lua helpers shared by the scheduling scripts, prepended to the scripts that need them.
///
/// Conventions for every script: `wf` is the workflow hash, `tasks` the hash of its tasks with
/// fields `<index>:<field>`, a task reference in the shard's queues is `<workflow_id>|<index>`,
/// times are epoch milliseconds. The state sets (`state:<status>`) index workflow ids by
/// creation time for listing.
enum LuaLibrary {
    /// `finish(wf, tasks, now, retention_s, channel, states)` ends a workflow whose tasks are
    /// all terminal: sets its final status, moves it between state sets, starts its retention
    /// clock and publishes `done <id>`. `states` maps a status name to its state-set key.
    static let finish = """
        local function finish(wf, tasks, now, retention, channel, states)
          local info = redis.call('HMGET', wf, 'workflow_id', 'created_at', 'completed', 'failed', 'status')
          local final = 'partial'
          if tonumber(info[4]) == 0 then final = 'completed' elseif tonumber(info[3]) == 0 then final = 'failed' end
          redis.call('HSET', wf, 'status', final, 'completed_at', now)
          redis.call('ZREM', states['pending'], info[1])
          redis.call('ZREM', states['running'], info[1])
          redis.call('ZADD', states[final], info[2], info[1])
          if tonumber(retention) > 0 then
            redis.call('EXPIRE', wf, retention)
            redis.call('EXPIRE', tasks, retention)
          end
          redis.call('PUBLISH', channel, 'done ' .. info[1])
          return final
        end

        """

    /// `fail_task(wf, tasks, index, now, message)` marks a task failed and, transitively, every
    /// task that depends on it, each with an error naming the dependency that failed. Returns
    /// the number of tasks that became failed. Tasks already terminal are left alone.
    static let failTask = """
        local function fail_task(wf, tasks, index, now, message)
          local count = 0
          local queue = {{index, message}}
          local head = 1
          while head <= #queue do
            local i, why = queue[head][1], queue[head][2]
            head = head + 1
            local state = redis.call('HGET', tasks, i .. ':status')
            if state ~= 'completed' and state ~= 'failed' then
              redis.call('HSET', tasks, i .. ':status', 'failed', i .. ':error', why, i .. ':completed_at', now)
              redis.call('HDEL', tasks, i .. ':answer')
              count = count + 1
              local agent = redis.call('HGET', tasks, i .. ':agent_id')
              local dependents = redis.call('HGET', tasks, i .. ':dependents')
              if dependents and dependents ~= '' then
                for d in string.gmatch(dependents, '[^,]+') do
                  table.insert(queue, {d, "dependency '" .. agent .. "' failed"})
                end
              end
            end
          end
          redis.call('HINCRBY', wf, 'failed', count)
          return redis.call('HINCRBY', wf, 'remaining', -count)
        end

        """
}
