import type { TokenUsage } from './types.js';
import type { JsonValue } from './json.js';
import { tokenUsage } from './schemas.js';
import { ValidationFailure, arrayOf, count, describeValue, object, optional, required, string, type Check, type Fields } from './validate.js';

/** Fields of every event. */
export interface WorkflowEventBase {
  /**
   * The event's id (the SSE `id:`): opaque, strictly increasing within the workflow. Pass it as
   * `lastEventId` to resume after it. Empty for events derived from status reads (see `watch`).
   */
  id: string;
  workflow_id: string;
  /** When it happened (ISO-8601 UTC). */
  timestamp: string;
}

/** Fields of every task event. */
export interface TaskEventBase extends WorkflowEventBase {
  agent_id: string;
  task_id: string;
}

/** The workflow was accepted. */
export interface WorkflowSubmittedEvent extends WorkflowEventBase {
  type: 'workflow.submitted';
}

/** A task became ready and waits for a worker. */
export interface TaskQueuedEvent extends TaskEventBase {
  type: 'task.queued';
}

/** A worker started an attempt of a task. */
export interface TaskStartedEvent extends TaskEventBase {
  type: 'task.started';
  worker_id: string;
  attempt: number;
}

/** Text the model produced since the task's previous token event. */
export interface TaskTokenEvent extends TaskEventBase {
  type: 'task.token';
  delta: string;
}

/** An attempt failed and the task will be tried again at `retry_at`. */
export interface TaskRetryingEvent extends TaskEventBase {
  type: 'task.retrying';
  error: string;
  attempt: number;
  retry_at: string;
}

/** A task completed; `output` is its answer text (the concatenation of its token deltas). */
export interface TaskCompletedEvent extends TaskEventBase {
  type: 'task.completed';
  output: string;
  usage?: TokenUsage;
}

/** A task failed for good. */
export interface TaskFailedEvent extends TaskEventBase {
  type: 'task.failed';
  error: string;
}

/** A delegating task added tasks to the workflow. */
export interface WorkflowExpandedEvent extends WorkflowEventBase {
  type: 'workflow.expanded';
  agent_id?: string;
  task_id?: string;
  /** The added tasks, as the server describes them. */
  tasks?: JsonValue[];
}

/** The four terminal event types; the stream ends after one of them. */
export type WorkflowFinishedEventType = 'workflow.completed' | 'workflow.failed' | 'workflow.partial' | 'workflow.cancelled';

/** The workflow reached a terminal state (or was cancelled by a DELETE). */
export interface WorkflowFinishedEvent extends WorkflowEventBase {
  type: WorkflowFinishedEventType;
}

/** One live event of a workflow (API.md §6), discriminated by `type`. */
export type WorkflowEvent =
  | WorkflowSubmittedEvent
  | TaskQueuedEvent
  | TaskStartedEvent
  | TaskTokenEvent
  | TaskRetryingEvent
  | TaskCompletedEvent
  | TaskFailedEvent
  | WorkflowExpandedEvent
  | WorkflowFinishedEvent;

/** Every event type. */
export type WorkflowEventType = WorkflowEvent['type'];

export const terminalEventTypes: readonly WorkflowFinishedEventType[] = [
  'workflow.completed',
  'workflow.failed',
  'workflow.partial',
  'workflow.cancelled',
];

/** Whether `event` ends the workflow's stream. */
export function isTerminalEvent(event: WorkflowEvent): event is WorkflowFinishedEvent {
  return (terminalEventTypes as readonly string[]).includes(event.type);
}

function base(f: Fields, path: string, id: string): WorkflowEventBase {
  return {
    ...f,
    id,
    workflow_id: required(f, 'workflow_id', path, string),
    timestamp: required(f, 'timestamp', path, string),
  };
}

function taskBase(f: Fields, path: string, id: string): TaskEventBase {
  return {
    ...base(f, path, id),
    agent_id: required(f, 'agent_id', path, string),
    task_id: required(f, 'task_id', path, string),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

/**
 * Checks one event's `data` object for type `type`; `undefined` for a type this client does not
 * know (a newer server's addition: skipped, not an error).
 */
export function checkEvent(type: string, id: string, value: unknown, path = 'data'): WorkflowEvent | undefined {
  const f = object(value, path);
  const declared = required(f, 'type', path, string);
  if (declared !== type) {
    throw new ValidationFailure(`${path}.type`, `${JSON.stringify(type)} (the event name)`, describeValue(declared));
  }
  switch (type) {
    case 'workflow.submitted':
      return { ...base(f, path, id), type };
    case 'task.queued':
      return { ...taskBase(f, path, id), type };
    case 'task.started':
      return {
        ...taskBase(f, path, id),
        type,
        worker_id: required(f, 'worker_id', path, string),
        attempt: required(f, 'attempt', path, count),
      };
    case 'task.token':
      return { ...taskBase(f, path, id), type, delta: required(f, 'delta', path, string) };
    case 'task.retrying':
      return {
        ...taskBase(f, path, id),
        type,
        error: required(f, 'error', path, string),
        attempt: required(f, 'attempt', path, count),
        retry_at: required(f, 'retry_at', path, string),
      };
    case 'task.completed':
      return withoutUndefined({
        ...taskBase(f, path, id),
        type,
        output: required(f, 'output', path, string),
        usage: optional(f, 'usage', path, tokenUsage),
      });
    case 'task.failed':
      return { ...taskBase(f, path, id), type, error: required(f, 'error', path, string) };
    case 'workflow.expanded':
      return withoutUndefined({
        ...base(f, path, id),
        type,
        agent_id: optional(f, 'agent_id', path, string),
        task_id: optional(f, 'task_id', path, string),
        tasks: optional(f, 'tasks', path, arrayOf(((v: unknown) => v as JsonValue) as Check<JsonValue>)),
      });
    case 'workflow.completed':
    case 'workflow.failed':
    case 'workflow.partial':
    case 'workflow.cancelled':
      return { ...base(f, path, id), type };
    default:
      return undefined;
  }
}
