extension SchedulerLibrary {
    /// A workflow as the API shows it, in one read: the workflow hash, and per task only the
    /// fields a status response uses — its input, answer and plan only once it completed.
    /// Reply: null when the workflow does not exist, else `{workflow = {field, value, …},
    /// tasks = {{field, value, …}, …}}` in index order.
    static let status = LuaFunction(
        "status",
        keys: ["wf", "tasks"],
        readOnly: true,
        body: """
            local w = redis.call('HGETALL', wf)
            if #w == 0 then return false end
            local count = 0
            for k = 1, #w, 2 do if w[k] == 'task_count' then count = tonumber(w[k + 1]) end end
            local names = {'agent_id', 'role', 'status', 'started_at', 'completed_at', 'error', 'attempts', 'worker', 'deps',
              'depends_on', 'delegate'}
            local finished = {'input', 'output', 'provider', 'model', 'prompt_tokens', 'completion_tokens', 'plan'}
            local list = {}
            for i = 0, count - 1 do
              local fields = {}
              for k, name in ipairs(names) do fields[k] = tf(i, name) end
              local t = redis.call('HMGET', tasks, unpack(fields))
              local reply = {}
              for k, name in ipairs(names) do
                if t[k] then reply[#reply + 1] = name; reply[#reply + 1] = t[k] end
              end
              if t[3] == 'completed' then
                for k, name in ipairs(finished) do fields[k] = tf(i, name) end
                for k = #finished + 1, #fields do fields[k] = nil end
                local f = redis.call('HMGET', tasks, unpack(fields))
                for k, name in ipairs(finished) do
                  if f[k] then reply[#reply + 1] = name; reply[#reply + 1] = f[k] end
                end
              end
              list[#list + 1] = reply
            end
            return {'workflow', w, 'tasks', list}
            """
    )
}
