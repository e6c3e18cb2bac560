public import OrchestraRedis

/// The scheduling state machine as one versioned Redis Functions library (DESIGN §3): every state
/// change of a workflow or a task is one function, which declares every key it touches, takes
/// "now" from the server (`TIME`), and appends the lifecycle event of its change to the
/// workflow's event stream and the shard's (API.md §6) in the same step.
///
/// Conventions: a task's fields live in its workflow's task hash as `<index>:<field>`
/// (``TaskField``); a task reference in a shard's queues is `<workflow_id>|<index>`; times are
/// epoch milliseconds of the server's clock.
public enum SchedulerLibrary {
    /// The library's version: part of its name and of every function's, so two releases can share
    /// one Redis during a rolling upgrade. Bump it whenever a function's keys, arguments, reply or
    /// meaning change.
    public static let version = 5
    /// `orchestra_<version>`.
    public static let name = "orchestra_\(version)"
    /// What every function's name starts with.
    public static let functionPrefix = "\(name)_"

    /// Every function, in registration order.
    static let functions: [LuaFunction] = [
        submit, popReady, claim, unclaim, storeAnswer, complete, fail, renew, cancel, due, expireLease, promote,
        recoverClaimed, forgetExpired, expand, status, appendToken, workerHeartbeat,
    ]

    /// The library as the server loads it.
    public static let library = RedisFunctionLibrary(
        name: name,
        body: prelude + "\n" + functions.map(\.registration).joined(separator: "\n\n") + "\n"
    )

    /// Helpers every function shares.
    static let prelude = """
        -- Server time in epoch milliseconds (DESIGN §3.12: one clock).
        local function now_ms()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end

        -- The task hash field of task i.
        local function tf(i, name) return i .. ':' .. name end

        -- Appends an event to the workflow's stream (capped at ctx.wmax; 0 disables it) and,
        -- without `payload` (large texts), to the shard's cluster-wide stream (capped near
        -- ctx.smax; 0 disables it). ctx = {ev, sev, wmax, smax, id, wtype}
        local function emit(ctx, kind, fields, payload)
          if tonumber(ctx.wmax) > 0 then
            local entry = {'XADD', ctx.ev, 'MAXLEN', '=', ctx.wmax, '*', 'type', kind}
            for k = 1, #fields do entry[#entry + 1] = fields[k] end
            if payload then for k = 1, #payload do entry[#entry + 1] = payload[k] end end
            redis.call(unpack(entry))
          end
          if tonumber(ctx.smax) > 0 then
            local shared = {'XADD', ctx.sev, 'MAXLEN', '~', ctx.smax, '*', 'type', kind, 'workflow_id', ctx.id,
              'workflow_type', ctx.wtype or ''}
            for k = 1, #fields do shared[#shared + 1] = fields[k] end
            redis.call(unpack(shared))
          end
        end

        -- Makes task i ready: queued, timestamped, at the tail of the shard's ready list.
        local function enqueue(ctx, tasks, ready, i, now)
          redis.call('HSET', tasks, tf(i, 'status'), 'queued', tf(i, 'queued_at'), now)
          redis.call('RPUSH', ready, ctx.id .. '|' .. i)
          emit(ctx, 'task.queued', {'index', i, 'agent_id', redis.call('HGET', tasks, tf(i, 'agent_id'))})
        end

        -- Ends a workflow whose tasks are all terminal: its final status (completed when none
        -- failed, failed when all did, partial otherwise), the state sets, the terminal event, the
        -- retention clock, and `done <id>` on the shard's notification channel.
        -- states = {pending, running, completed, failed, partial}. A caller that has just read
        -- (and updated) the workflow passes `known` = {created_at, task_count, failed,
        -- prompt_tokens, completion_tokens, status} and the fields it still has to write, which
        -- go out in the same HSET.
        local function finish(ctx, wf, tasks, states, now, retention, channel, known, wfields)
          local info = known or redis.call('HMGET', wf, 'created_at', 'task_count', 'failed', 'prompt_tokens',
            'completion_tokens', 'status')
          local count, failed = tonumber(info[2]), tonumber(info[3]) or 0
          local final = 'partial'
          if failed == 0 then final = 'completed' elseif failed >= count then final = 'failed' end
          local fields = wfields or {}
          fields[#fields + 1] = 'status'; fields[#fields + 1] = final
          fields[#fields + 1] = 'completed_at'; fields[#fields + 1] = now
          redis.call('HSET', wf, unpack(fields))
          if info[6] ~= 'running' then redis.call('ZREM', states.pending, ctx.id) end
          if info[6] ~= 'pending' then redis.call('ZREM', states.running, ctx.id) end
          redis.call('ZADD', states[final], info[1], ctx.id)
          emit(ctx, 'workflow.' .. final, {'completed', count - failed, 'failed', failed,
            'prompt_tokens', info[4] or 0, 'completion_tokens', info[5] or 0})
          if tonumber(retention) > 0 then
            redis.call('EXPIRE', wf, retention)
            redis.call('EXPIRE', tasks, retention)
            redis.call('EXPIRE', ctx.ev, retention)
          end
          redis.call('SPUBLISH', channel, 'done ' .. ctx.id)
          return final
        end

        -- Fails task `index` for good and, transitively, every task that depends on it, each with
        -- an error naming the dependency that failed. Tasks already terminal are left alone.
        -- Returns the workflow's remaining count.
        local function fail_task(ctx, wf, tasks, index, now, message)
          local count = 0
          local queue = {{index, message}}
          local head = 1
          while head <= #queue do
            local i, why = queue[head][1], queue[head][2]
            head = head + 1
            local t = redis.call('HMGET', tasks, tf(i, 'status'), tf(i, 'agent_id'), tf(i, 'dependents'))
            if t[1] ~= 'completed' and t[1] ~= 'failed' then
              redis.call('HSET', tasks, tf(i, 'status'), 'failed', tf(i, 'error'), why, tf(i, 'completed_at'), now)
              count = count + 1
              emit(ctx, 'task.failed', {'index', i, 'agent_id', t[2], 'error', why})
              if t[3] and t[3] ~= '' then
                for d in string.gmatch(t[3], '[^,]+') do
                  queue[#queue + 1] = {d, "dependency '" .. t[2] .. "' failed"}
                end
              end
            end
          end
          redis.call('HINCRBY', wf, 'failed', count)
          return redis.call('HINCRBY', wf, 'remaining', -count)
        end

        -- The workflow id of a task reference `<id>|<index>`.
        local function ref_id(ref) return string.match(ref, '^(.*)|') end
        """
}
