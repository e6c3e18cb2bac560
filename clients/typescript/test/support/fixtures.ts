// Response bodies in the contract's shape (API.md §1), for loopback servers and unit tests.

export interface FixtureTask {
  task_id: string;
  agent_id: string;
  agent_role: string;
  status: string;
  started_at: string | null;
  completed_at: string | null;
  result: { [key: string]: unknown } | null;
  error: string | null;
  [extra: string]: unknown;
}

export interface FixtureStatus {
  workflow_id: string;
  workflow_type: string;
  status: string;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  tasks: FixtureTask[];
  metadata: { [key: string]: unknown };
  [extra: string]: unknown;
}

const t0 = '2026-01-01T12:00:00.000Z';
const t1 = '2026-01-01T12:00:01.000Z';

/** A graph workflow of three pending tasks. */
export function pendingStatus(id: string): FixtureStatus {
  return {
    workflow_id: id,
    workflow_type: 'graph',
    status: 'pending',
    created_at: t0,
    started_at: null,
    completed_at: null,
    tasks: [0, 1, 2].map((i) => ({
      task_id: `${id}-task-${i}`,
      agent_id: `agent-${i}`,
      agent_role: 'backend',
      status: 'pending',
      started_at: null,
      completed_at: null,
      result: null,
      error: null,
    })),
    metadata: { team: 'a' },
  };
}

/** The same workflow, completed, with API.md §1 results. */
export function completedStatus(id: string): FixtureStatus {
  const status = pendingStatus(id);
  status.status = 'completed';
  status.started_at = t0;
  status.completed_at = t1;
  status.usage = { prompt_tokens: 36, completion_tokens: 24, total_tokens: 60 };
  status.tasks.forEach((task, i) => {
    task.status = 'completed';
    task.started_at = t0;
    task.completed_at = t1;
    task.attempts = 1;
    task.worker_id = 'worker-1';
    task.result = {
      agent_id: task.agent_id,
      agent_role: 'backend',
      input: { task: `do ${i}` },
      context: i === 0 ? [] : [`agent-${i - 1}`],
      output: { success: true, message: `answer ${i}`, timestamp: t1 },
      provider: 'echo',
      model: 'echo',
      usage: { prompt_tokens: 12, completion_tokens: 8 },
    };
  });
  return status;
}
