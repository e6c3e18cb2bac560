import type { JsonObject } from './json.js';
import {
  TaskStatus,
  WorkflowStatus,
  WorkflowType,
  type AgentTask,
  type HealthResponse,
  type PatternInfo,
  type PatternParametersSchema,
  type QueueDepths,
  type QueueStats,
  type ServiceInfo,
  type TaskOutput,
  type TaskResult,
  type TaskStatusResponse,
  type TokenUsage,
  type UsageCounts,
  type UsageReport,
  type WorkflowRequest,
  type WorkflowStatusResponse,
} from './types.js';
import {
  ValidationFailure,
  arrayOf,
  boolean,
  count,
  nullable,
  number,
  object,
  oneOf,
  optional,
  required,
  string,
  type Check,
} from './validate.js';

/** Drops the keys an optional check left `undefined`, so the value has only what the server sent. */
function strip<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

const taskStatuses = Object.values(TaskStatus);
const workflowStatuses = Object.values(WorkflowStatus);
const workflowTypes = Object.values(WorkflowType);

/** Any JSON object; its values are whatever JSON holds. */
export const jsonObject: Check<JsonObject> = (value, path) => object(value, path) as JsonObject;

export const stringArray: Check<string[]> = arrayOf(string);

export const tokenUsage: Check<TokenUsage> = (value, path) => {
  const f = object(value, path);
  return strip({
    ...f,
    prompt_tokens: required(f, 'prompt_tokens', path, count),
    completion_tokens: required(f, 'completion_tokens', path, count),
    total_tokens: optional(f, 'total_tokens', path, count),
  });
};

export const taskOutput: Check<TaskOutput> = (value, path) => {
  const f = object(value, path);
  return strip({
    ...f,
    success: required(f, 'success', path, boolean),
    message: required(f, 'message', path, string),
    timestamp: required(f, 'timestamp', path, string),
  });
};

/** The `result` of a task, API.md §1. */
export const taskResult: Check<TaskResult> = (value, path) => {
  const f = object(value, path);
  return strip({
    ...f,
    agent_id: required(f, 'agent_id', path, string),
    agent_role: required(f, 'agent_role', path, string),
    input: required(f, 'input', path, jsonObject),
    context: required(f, 'context', path, stringArray),
    output: required(f, 'output', path, taskOutput),
    provider: required(f, 'provider', path, string),
    model: required(f, 'model', path, string),
    usage: required(f, 'usage', path, tokenUsage),
  });
};

export const taskStatusResponse: Check<TaskStatusResponse> = (value, path) => {
  const f = object(value, path);
  return strip({
    ...f,
    task_id: required(f, 'task_id', path, string),
    agent_id: required(f, 'agent_id', path, string),
    agent_role: required(f, 'agent_role', path, string),
    status: required(f, 'status', path, oneOf(taskStatuses)),
    started_at: required(f, 'started_at', path, nullable(string)),
    completed_at: required(f, 'completed_at', path, nullable(string)),
    result: required(f, 'result', path, nullable(taskResult)),
    error: required(f, 'error', path, nullable(string)),
    attempts: optional(f, 'attempts', path, count),
    worker_id: optional(f, 'worker_id', path, string),
    model: optional(f, 'model', path, string),
    provider: optional(f, 'provider', path, string),
    usage: optional(f, 'usage', path, tokenUsage),
    depends_on: optional(f, 'depends_on', path, stringArray),
  });
};

export const workflowStatusResponse: Check<WorkflowStatusResponse> = (value, path) => {
  const f = object(value, path);
  return strip({
    ...f,
    workflow_id: required(f, 'workflow_id', path, string),
    workflow_type: required(f, 'workflow_type', path, string),
    status: required(f, 'status', path, oneOf(workflowStatuses)),
    created_at: required(f, 'created_at', path, string),
    started_at: required(f, 'started_at', path, nullable(string)),
    completed_at: required(f, 'completed_at', path, nullable(string)),
    tasks: required(f, 'tasks', path, arrayOf(taskStatusResponse)),
    metadata: required(f, 'metadata', path, jsonObject),
    usage: optional(f, 'usage', path, tokenUsage),
    error: optional(f, 'error', path, string),
  });
};

export const workflowStatusList: Check<WorkflowStatusResponse[]> = arrayOf(workflowStatusResponse);

export const healthResponse: Check<HealthResponse> = (value, path) => {
  const f = object(value, path);
  return strip({
    ...f,
    status: required(f, 'status', path, string),
    active_workflows: required(f, 'active_workflows', path, count),
    timestamp: required(f, 'timestamp', path, string),
  });
};

export const serviceInfo: Check<ServiceInfo> = (value, path) => {
  const f = object(value, path);
  return strip({
    ...f,
    service: required(f, 'service', path, string),
    status: required(f, 'status', path, string),
    version: required(f, 'version', path, string),
  });
};

const queueDepths: Check<QueueDepths> = (value, path) => {
  const f = object(value, path);
  return strip({
    ...f,
    ready: required(f, 'ready', path, count),
    running: required(f, 'running', path, count),
    delayed: required(f, 'delayed', path, count),
  });
};

export const queueStats: Check<QueueStats> = (value, path) => {
  const f = object(value, path);
  const shard: Check<QueueDepths & { shard: number }> = (v, p) => ({
    ...queueDepths(v, p),
    shard: required(object(v, p), 'shard', p, count),
  });
  return strip({
    ...f,
    shards: required(f, 'shards', path, arrayOf(shard)),
    totals: required(f, 'totals', path, queueDepths),
    active_workflows: required(f, 'active_workflows', path, count),
    timestamp: required(f, 'timestamp', path, string),
  });
};

const usageCounts: Check<UsageCounts> = (value, path) => {
  const f = object(value, path);
  return strip({
    ...f,
    calls: required(f, 'calls', path, count),
    prompt_tokens: required(f, 'prompt_tokens', path, count),
    completion_tokens: required(f, 'completion_tokens', path, count),
    total_tokens: required(f, 'total_tokens', path, count),
  });
};

export const usageReport: Check<UsageReport> = (value, path) => {
  const f = object(value, path);
  const model: Check<UsageCounts & { provider: string; model: string }> = (v, p) => {
    const m = object(v, p);
    return { ...usageCounts(v, p), provider: required(m, 'provider', p, string), model: required(m, 'model', p, string) };
  };
  return { ...f, models: required(f, 'models', path, arrayOf(model)), totals: required(f, 'totals', path, usageCounts) };
};

const patternParameters: Check<PatternParametersSchema> = (value, path) => {
  const f = object(value, path);
  const properties: Check<{ [name: string]: JsonObject }> = (v, p) => {
    const props = object(v, p);
    for (const [key, schema] of Object.entries(props)) jsonObject(schema, `${p}.${key}`);
    return props as { [name: string]: JsonObject };
  };
  return strip({
    ...f,
    type: required(f, 'type', path, string),
    properties: required(f, 'properties', path, properties),
    required: required(f, 'required', path, stringArray),
  });
};

export const patternInfo: Check<PatternInfo> = (value, path) => {
  const f = object(value, path);
  return strip({
    ...f,
    name: required(f, 'name', path, string),
    description: required(f, 'description', path, string),
    workflow_type: required(f, 'workflow_type', path, string),
    parameters: required(f, 'parameters', path, patternParameters),
  });
};

export const patternList: Check<PatternInfo[]> = arrayOf(patternInfo);

// Requests are checked as the seed's builder did (`WorkflowRequestSchema.parse`), with defaults applied.

const agentTask: Check<AgentTask> = (value, path) => {
  const f = object(value, path);
  const dependsOn = optional(f, 'depends_on', path, stringArray) ?? [];
  return strip({
    ...f,
    agent_id: required(f, 'agent_id', path, string),
    agent_role: required(f, 'agent_role', path, string),
    input_data: required(f, 'input_data', path, object) as Record<string, unknown>,
    depends_on: [...dependsOn],
    llm_model: optional(f, 'llm_model', path, string),
    temperature: optional(f, 'temperature', path, number),
    max_tokens: optional(f, 'max_tokens', path, count),
    system_prompt: optional(f, 'system_prompt', path, string),
    timeout_s: optional(f, 'timeout_s', path, number),
    max_attempts: optional(f, 'max_attempts', path, count),
    delegate: optional(f, 'delegate', path, boolean),
  });
};

const workflowRequest: Check<WorkflowRequest> = (value, path) => {
  const f = object(value, path);
  const request: WorkflowRequest = {
    workflow_type: required(f, 'workflow_type', path, oneOf(workflowTypes)),
    tasks: required(f, 'tasks', path, arrayOf(agentTask)),
    metadata: { ...(optional(f, 'metadata', path, object) ?? {}) },
  };
  const id = optional(f, 'workflow_id', path, string);
  if (id !== undefined) request.workflow_id = id;
  return request;
};

/** The result of `safeParse`. */
export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: ValidationFailure };

/** A validator with the two methods of the seed's zod schemas that callers used. */
export interface Schema<T> {
  /** Returns the value typed, or throws a `ValidationFailure` naming the JSON path. */
  parse(value: unknown): T;
  /** Like `parse`, without throwing. */
  safeParse(value: unknown): SafeParseResult<T>;
}

function schema<T>(check: Check<T>): Schema<T> {
  return {
    parse: (value) => check(value, ''),
    safeParse: (value) => {
      try {
        return { success: true, data: check(value, '') };
      } catch (error) {
        if (error instanceof ValidationFailure) return { success: false, error };
        throw error;
      }
    },
  };
}

/** The seed's exported schemas, for code that called `.parse` on them. */
export const AgentTaskSchema: Schema<AgentTask> = schema(agentTask);
export const WorkflowRequestSchema: Schema<WorkflowRequest> = schema(workflowRequest);
export const TaskStatusResponseSchema: Schema<TaskStatusResponse> = schema(taskStatusResponse);
export const WorkflowStatusResponseSchema: Schema<WorkflowStatusResponse> = schema(workflowStatusResponse);
