/**
 * `ai-orchestra`: the TypeScript client of AI Orchestra, compatible with the Phase 2 service's
 * TypeScript bridge (`SwarmInterface`, `WorkflowBuilder`, `WorkflowPatterns`, the enums and the
 * request and response types), plus live events, typed errors, retries and the newer endpoints.
 */
export {
  SwarmInterface,
  OrchestraClient,
  isFinished,
  type BatchResult,
  type CallOptions,
  type ClientOptions,
  type ListWorkflowsQuery,
  type ProgressCallback,
  type StatusOptions,
  type Submittable,
  type WaitOptions,
  type WatchOptions,
  type WorkflowList,
} from './client.js';
export { WorkflowBuilder } from './builder.js';
export { WorkflowPatterns } from './patterns.js';
export { OrchestraError, type OrchestraErrorInit, type OrchestraErrorKind, type ValidationIssue } from './errors.js';
export {
  isTerminalEvent,
  type TaskCompletedEvent,
  type TaskEventBase,
  type TaskFailedEvent,
  type TaskQueuedEvent,
  type TaskRetryingEvent,
  type TaskStartedEvent,
  type TaskTokenEvent,
  type WorkflowEvent,
  type WorkflowEventBase,
  type WorkflowEventType,
  type WorkflowExpandedEvent,
  type WorkflowFinishedEvent,
  type WorkflowFinishedEventType,
  type WorkflowSubmittedEvent,
} from './events.js';
export {
  AgentTaskSchema,
  TaskStatusResponseSchema,
  WorkflowRequestSchema,
  WorkflowStatusResponseSchema,
  type SafeParseResult,
  type Schema,
} from './schemas.js';
export { ValidationFailure } from './validate.js';
export type { RetryOptions } from './transport.js';
export type { JsonObject, JsonPrimitive, JsonValue } from './json.js';
export {
  TaskStatus,
  WorkflowStatus,
  WorkflowType,
  type AgentTask,
  type AgentTaskInput,
  type HealthResponse,
  type PatternInfo,
  type PatternParametersSchema,
  type PatternParams,
  type QueueDepths,
  type QueueStats,
  type ServiceInfo,
  type TaskOptions,
  type TaskOutput,
  type TaskResult,
  type TaskStatusResponse,
  type TokenUsage,
  type UsageCounts,
  type UsageReport,
  type WorkflowRequest,
  type WorkflowRequestInput,
  type WorkflowStatusName,
  type WorkflowStatusResponse,
  type WorkflowTypeName,
} from './types.js';
