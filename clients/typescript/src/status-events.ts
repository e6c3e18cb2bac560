import type { WorkflowEvent, WorkflowFinishedEventType } from './events.js';
import { TaskStatus, WorkflowStatus, type TaskStatusResponse, type WorkflowStatusResponse } from './types.js';

// Events derived from two successive status reads, for gateways without the event stream.
// They carry what a status shows: no tokens, no queueing, empty ids.

const finished: { [status: string]: WorkflowFinishedEventType } = {
  [WorkflowStatus.COMPLETED]: 'workflow.completed',
  [WorkflowStatus.FAILED]: 'workflow.failed',
  [WorkflowStatus.PARTIAL]: 'workflow.partial',
};

function taskFields(workflowId: string, task: TaskStatusResponse, timestamp: string | null): {
  id: string;
  workflow_id: string;
  agent_id: string;
  task_id: string;
  timestamp: string;
} {
  return { id: '', workflow_id: workflowId, agent_id: task.agent_id, task_id: task.task_id, timestamp: timestamp ?? new Date().toISOString() };
}

/** The events that take a workflow from `previous` (undefined: not seen yet) to `current`. */
export function statusEvents(previous: WorkflowStatusResponse | undefined, current: WorkflowStatusResponse): WorkflowEvent[] {
  const id = current.workflow_id;
  const events: WorkflowEvent[] = [];
  if (previous === undefined) {
    events.push({ id: '', type: 'workflow.submitted', workflow_id: id, timestamp: current.created_at });
  } else if (current.tasks.length > previous.tasks.length) {
    const added = current.tasks.slice(previous.tasks.length);
    events.push({
      id: '',
      type: 'workflow.expanded',
      workflow_id: id,
      timestamp: new Date().toISOString(),
      tasks: added.map((task) => ({ task_id: task.task_id, agent_id: task.agent_id, agent_role: task.agent_role })),
    });
  }
  current.tasks.forEach((task, index) => {
    const before = previous?.tasks[index]?.status;
    if (task.status === before) return;
    const started = (): void => {
      events.push({ ...taskFields(id, task, task.started_at), type: 'task.started', worker_id: task.worker_id ?? '', attempt: task.attempts ?? 1 });
    };
    switch (task.status) {
      case TaskStatus.RUNNING:
        started();
        break;
      case TaskStatus.COMPLETED: {
        // Completed between two reads: it started too, so consumers see every task start.
        if (before !== TaskStatus.RUNNING) started();
        const usage = task.result?.usage ?? task.usage;
        events.push({
          ...taskFields(id, task, task.completed_at),
          type: 'task.completed',
          output: task.result?.output.message ?? '',
          ...(usage === undefined ? {} : { usage }),
        });
        break;
      }
      case TaskStatus.FAILED:
        events.push({ ...taskFields(id, task, task.completed_at), type: 'task.failed', error: task.error ?? '' });
        break;
      default:
        break;
    }
  });
  const terminal = finished[current.status];
  if (terminal !== undefined) {
    events.push({ id: '', type: terminal, workflow_id: id, timestamp: current.completed_at ?? new Date().toISOString() });
  }
  return events;
}
