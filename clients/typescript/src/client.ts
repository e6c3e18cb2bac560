import { TimeoutReason, abortedError, delay, linkedController, throwIfAborted } from './abort.js';
import { WorkflowBuilder } from './builder.js';
import { OrchestraError, type ValidationIssue } from './errors.js';
import { checkEvent, isTerminalEvent, type WorkflowEvent } from './events.js';
import {
  healthResponse,
  patternList,
  queueStats,
  serviceInfo,
  usageReport,
  workflowStatusList,
  workflowStatusResponse,
} from './schemas.js';
import { SseParser } from './sse.js';
import { statusEvents } from './status-events.js';
import { Transport, httpError, type RetryOptions } from './transport.js';
import {
  WorkflowStatus,
  type HealthResponse,
  type PatternInfo,
  type PatternParams,
  type QueueStats,
  type ServiceInfo,
  type UsageReport,
  type WorkflowRequest,
  type WorkflowRequestInput,
  type WorkflowStatusName,
  type WorkflowStatusResponse,
} from './types.js';
import { ValidationFailure, count, object, required, string, type Check } from './validate.js';

/** Settings of a client; every field has a default. */
export interface ClientOptions {
  /** The gateway's URL. Default `http://localhost:8000`. */
  baseUrl?: string;
  /** Sent as `X-API-Key` on every request, the event stream included. */
  apiKey?: string;
  /**
   * In ms. Only used against gateways without the event stream: how often a wait with an
   * `onProgress` callback samples intermediate states (each long poll returns at once when the
   * workflow finishes). Default 1000.
   */
  pollingInterval?: number;
  /** Timeout of one request, in ms (a long poll gets its wait on top). Default 30000. */
  requestTimeoutMs?: number;
  /** Retries of reads, of submits that carry a `workflow_id`, and of event-stream connections. */
  retry?: RetryOptions;
  /**
   * An event stream that delivers nothing, not even a heartbeat, for this long (ms) is taken as
   * dead and reopened from the last event id. The server sends heartbeats every 15 s at most. Default 45000.
   */
  streamIdleTimeoutMs?: number;
  /** The `fetch` to use. Default the global one. */
  fetch?: typeof fetch;
}

/** Options every call takes. */
export interface CallOptions {
  /** Aborts the call; it then rejects with an `OrchestraError` of kind `aborted`. */
  signal?: AbortSignal;
}

/** Options of `getWorkflowStatus`. */
export interface StatusOptions extends CallOptions {
  /** Long poll: the server answers when the workflow finishes or after this many seconds (at most 60). */
  wait?: number;
}

/** The query of `listWorkflows`. */
export interface ListWorkflowsQuery extends CallOptions {
  status?: WorkflowStatusName;
  /** 1…1000; default 100. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** Skip this many (the server's offset paging). */
  offset?: number;
}

/** A page of workflows, newest first; `nextCursor` is `null` on the last page. */
export type WorkflowList = WorkflowStatusResponse[] & { readonly nextCursor: string | null };

/** Called with the workflow's status whenever it changed (its status or a task's). */
export type ProgressCallback = (status: WorkflowStatusResponse) => void;

/** Options of `submitAndWait` and `waitForWorkflow`. */
export interface WaitOptions extends CallOptions {
  /** In ms; default 300000. Then the wait rejects with an `OrchestraError` of kind `timeout`. */
  timeout?: number;
  onProgress?: ProgressCallback;
}

/** Options of `watch`. */
export interface WatchOptions extends CallOptions {
  /** Resume after this event id (the `id` of the last event seen); from the start when absent. */
  lastEventId?: string;
}

/** One entry of `submitBatch`'s answer, in the order of the requests. */
export type BatchResult =
  | { ok: true; status: number; workflow: WorkflowStatusResponse }
  | { ok: false; status: number; detail: string | ValidationIssue[]; error: OrchestraError };

/** What a submit accepts: a request (defaults may be left out) or a builder. */
export type Submittable = WorkflowRequestInput | WorkflowRequest | WorkflowBuilder;

type StreamItem = { kind: 'event'; event: WorkflowEvent } | { kind: 'unavailable' };

const terminalStatuses: readonly string[] = [WorkflowStatus.COMPLETED, WorkflowStatus.FAILED, WorkflowStatus.PARTIAL];
const maxLongPollSeconds = 60;

/** Whether `status` is final: `completed`, `failed` or `partial`. */
export function isFinished(status: WorkflowStatusResponse): boolean {
  return terminalStatuses.includes(status.status);
}

const deleteAnswer: Check<{ message: string }> = (value, path) => ({ message: required(object(value, path), 'message', path, string) });

/**
 * The AI Orchestra client (the seed's `SwarmInterface`, with the same constructor and methods).
 * Zero dependencies; Node ≥ 18.
 */
export class SwarmInterface {
  private readonly transport: Transport;
  private readonly pollingInterval: number;
  private readonly streamIdleTimeoutMs: number;

  /** `new SwarmInterface(baseUrl?, apiKey?, pollingInterval?)` as in the seed, or with an options object. */
  constructor(baseUrl?: string, apiKey?: string, pollingInterval?: number);
  constructor(options: ClientOptions);
  constructor(baseUrlOrOptions: string | ClientOptions = 'http://localhost:8000', apiKey?: string, pollingInterval = 1000) {
    const options: ClientOptions =
      typeof baseUrlOrOptions === 'string' ? { baseUrl: baseUrlOrOptions, apiKey, pollingInterval } : baseUrlOrOptions;
    const fetchFunction = options.fetch ?? globalThis.fetch;
    if (typeof fetchFunction !== 'function') {
      throw new OrchestraError({ kind: 'invalid_request', message: 'No fetch: use Node 18 or newer, or pass options.fetch' });
    }
    this.transport = new Transport({
      baseUrl: (options.baseUrl ?? 'http://localhost:8000').replace(/\/+$/, ''),
      apiKey: options.apiKey,
      fetch: fetchFunction,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      retry: {
        maxAttempts: options.retry?.maxAttempts ?? 4,
        baseDelayMs: options.retry?.baseDelayMs ?? 250,
        maxDelayMs: options.retry?.maxDelayMs ?? 5_000,
      },
    });
    this.pollingInterval = options.pollingInterval ?? 1000;
    this.streamIdleTimeoutMs = options.streamIdleTimeoutMs ?? 45_000;
  }

  /** The gateway's URL, without a trailing slash. */
  get baseUrl(): string {
    return this.transport.settings.baseUrl;
  }

  /** `GET /`: the service's name and version. */
  async getServiceInfo(options: CallOptions = {}): Promise<ServiceInfo> {
    return (await this.transport.request({ method: 'GET', path: '/', check: serviceInfo, idempotent: true, signal: options.signal })).value;
  }

  /** `GET /health`: `{status: "healthy", active_workflows, timestamp}`. */
  async healthCheck(options: CallOptions = {}): Promise<HealthResponse> {
    return (await this.transport.request({ method: 'GET', path: '/health', check: healthResponse, idempotent: true, signal: options.signal }))
      .value;
  }

  /**
   * `POST /run-graph`: submits a workflow and returns its first status (`pending`). Retried on
   * 503 and connection errors only when the request carries a `workflow_id`; a 409 on such a
   * retry means the earlier attempt landed, and its status is returned.
   */
  async submitWorkflow(request: Submittable, options: CallOptions = {}): Promise<WorkflowStatusResponse> {
    const body = toRequest(request);
    const id = body.workflow_id;
    const reply = await this.transport.request({
      method: 'POST',
      path: '/run-graph',
      body,
      check: workflowStatusResponse,
      idempotent: typeof id === 'string',
      signal: options.signal,
      onRetriedConflict: typeof id === 'string' ? () => this.getWorkflowStatus(id, options) : undefined,
    });
    return reply.value;
  }

  /** `GET /status/{id}`; with `wait`, a long poll that answers as soon as the workflow finishes. */
  async getWorkflowStatus(workflowId: string, options: StatusOptions = {}): Promise<WorkflowStatusResponse> {
    const wait = options.wait === undefined ? undefined : Math.min(Math.max(options.wait, 0.001), maxLongPollSeconds);
    const reply = await this.transport.request({
      method: 'GET',
      path: `/status/${encodeURIComponent(workflowId)}`,
      query: { wait },
      check: workflowStatusResponse,
      idempotent: true,
      signal: options.signal,
      timeoutMs: wait === undefined ? undefined : this.transport.settings.requestTimeoutMs + wait * 1000,
    });
    return reply.value;
  }

  /**
   * `GET /workflows`, newest first: `listWorkflows(status?, limit = 100)` as in the seed, or
   * `listWorkflows({status, limit, cursor, offset, signal})`. The page's `nextCursor` (the
   * server's `X-Next-Cursor` header) fetches the next page; `null` on the last.
   */
  async listWorkflows(status?: WorkflowStatusName, limit?: number, options?: CallOptions): Promise<WorkflowList>;
  async listWorkflows(query: ListWorkflowsQuery): Promise<WorkflowList>;
  async listWorkflows(
    statusOrQuery?: WorkflowStatusName | ListWorkflowsQuery,
    limit = 100,
    options: CallOptions = {},
  ): Promise<WorkflowList> {
    const query: ListWorkflowsQuery =
      typeof statusOrQuery === 'object' && statusOrQuery !== null ? statusOrQuery : { status: statusOrQuery, limit, signal: options.signal };
    const reply = await this.transport.request({
      method: 'GET',
      path: '/workflows',
      query: {
        status: query.status === undefined || query.status === null || (query.status as string) === '' ? undefined : query.status,
        limit: query.limit ?? 100,
        cursor: query.cursor,
        offset: query.offset,
      },
      check: workflowStatusList,
      idempotent: true,
      signal: query.signal,
    });
    const next = reply.headers.get('X-Next-Cursor');
    return Object.defineProperty(reply.value, 'nextCursor', {
      value: next === null || next === '' ? null : next,
      enumerable: false,
    }) as WorkflowList;
  }

  /** Every workflow matching `query`, page after page (by cursor), newest first. */
  async *iterateWorkflows(query: Omit<ListWorkflowsQuery, 'cursor' | 'offset'> = {}): AsyncGenerator<WorkflowStatusResponse, void, undefined> {
    let cursor: string | undefined;
    for (;;) {
      const page: WorkflowList = await this.listWorkflows({ ...query, cursor });
      yield* page;
      if (page.nextCursor === null) return;
      cursor = page.nextCursor;
    }
  }

  /** `DELETE /workflows/{id}`: cancels the workflow (nothing more of it runs) and removes it. */
  async deleteWorkflow(workflowId: string, options: CallOptions = {}): Promise<void> {
    await this.transport.request({
      method: 'DELETE',
      path: `/workflows/${encodeURIComponent(workflowId)}`,
      check: deleteAnswer,
      idempotent: false,
      signal: options.signal,
    });
  }

  /**
   * Submits a workflow and resolves with its final status (`completed`, `failed` or `partial`).
   * Follows the workflow's event stream (no polling); `onProgress` gets the status on every change.
   * Rejects with an `OrchestraError`: `timeout` after `timeout` ms, `aborted`, `cancelled` when
   * the workflow is deleted meanwhile.
   */
  async submitAndWait(request: Submittable, timeout?: number, onProgress?: ProgressCallback, options?: CallOptions): Promise<WorkflowStatusResponse>;
  async submitAndWait(request: Submittable, options: WaitOptions): Promise<WorkflowStatusResponse>;
  async submitAndWait(
    request: Submittable,
    timeoutOrOptions?: number | WaitOptions,
    onProgress?: ProgressCallback,
    options: CallOptions = {},
  ): Promise<WorkflowStatusResponse> {
    const wait: WaitOptions =
      typeof timeoutOrOptions === 'object' && timeoutOrOptions !== null ? timeoutOrOptions : { ...options, timeout: timeoutOrOptions ?? undefined, onProgress };
    const initial = await this.submitWorkflow(request, { signal: wait.signal });
    return this.waitFor(initial.workflow_id, wait, initial);
  }

  /** Waits until an already submitted workflow is finished (as `submitAndWait` does after submitting). */
  async waitForWorkflow(workflowId: string, options: WaitOptions = {}): Promise<WorkflowStatusResponse> {
    return this.waitFor(workflowId, options, undefined);
  }

  /**
   * The workflow's live events (API.md §6) as an async iterator, tokens included, ending after the
   * terminal event. Reconnects with `Last-Event-ID` when the connection drops, so no event is
   * missed or repeated. Against a gateway without the stream (404/501) the events are derived
   * from long-polled status reads instead: no `task.token`, no `task.queued`, ids empty.
   */
  async *watch(workflowId: string, options: WatchOptions = {}): AsyncGenerator<WorkflowEvent, void, undefined> {
    for await (const item of this.eventStream(workflowId, options.lastEventId, options.signal)) {
      if (item.kind === 'event') {
        yield item.event;
        continue;
      }
      let previous: WorkflowStatusResponse | undefined;
      for await (const status of this.longPoll(workflowId, options.signal, true)) {
        if (status === undefined) {
          yield cancelledEvent(workflowId);
          return;
        }
        yield* statusEvents(previous, status);
        previous = status;
      }
      return;
    }
  }

  /** `GET /patterns`: the server's pre-built workflows and their parameters (JSON Schema). */
  async listPatterns(options: CallOptions = {}): Promise<PatternInfo[]> {
    return (await this.transport.request({ method: 'GET', path: '/patterns', check: patternList, idempotent: true, signal: options.signal }))
      .value;
  }

  /**
   * `POST /patterns/{name}`: instantiates and submits a server pattern, e.g.
   * `runPattern('code-review', {code, language})`. Optional `workflow_id` (makes it retryable),
   * `metadata`, `llm_model`, `temperature`.
   */
  async runPattern(name: string, params: PatternParams = {}, options: CallOptions = {}): Promise<WorkflowStatusResponse> {
    const id = params.workflow_id;
    const reply = await this.transport.request({
      method: 'POST',
      path: `/patterns/${encodeURIComponent(name)}`,
      body: params,
      check: workflowStatusResponse,
      idempotent: typeof id === 'string',
      signal: options.signal,
      onRetriedConflict: typeof id === 'string' ? () => this.getWorkflowStatus(id, options) : undefined,
    });
    return reply.value;
  }

  /**
   * `POST /run-graph/batch`: submits many workflows in one request; one result per request, in
   * order. Retried like `submitWorkflow` when every request carries a `workflow_id`. Against a
   * gateway without the batch endpoint (404/405/501) the requests are submitted one by one.
   */
  async submitBatch(requests: Submittable[], options: CallOptions = {}): Promise<BatchResult[]> {
    const bodies = requests.map(toRequest);
    const retryable = bodies.every((body) => typeof body.workflow_id === 'string');
    let entries: BatchEntry[];
    let attempts: number;
    try {
      const reply = await this.transport.request({
        method: 'POST',
        path: '/run-graph/batch',
        body: bodies,
        check: batchAnswer(bodies.length),
        idempotent: retryable,
        signal: options.signal,
      });
      entries = reply.value;
      attempts = reply.attempts;
    } catch (error) {
      if (!(error instanceof OrchestraError && error.kind === 'http' && [404, 405, 501].includes(error.status ?? 0))) throw error;
      return this.submitOneByOne(bodies, options);
    }
    const url = this.transport.url('/run-graph/batch');
    return Promise.all(
      entries.map(async (entry, index): Promise<BatchResult> => {
        const id = bodies[index]?.workflow_id;
        if (entry.workflow !== undefined) return { ok: true, status: entry.status, workflow: entry.workflow };
        if (entry.status === 409 && attempts > 1 && typeof id === 'string') {
          return { ok: true, status: 200, workflow: await this.getWorkflowStatus(id, options) };
        }
        const error = httpError('POST', url, entry.status, JSON.stringify({ detail: entry.detail }), attempts);
        return { ok: false, status: entry.status, detail: error.detail ?? '', error };
      }),
    );
  }

  /** `GET /queues`: ready, running and delayed tasks per shard and in total. */
  async getQueues(options: CallOptions = {}): Promise<QueueStats> {
    return (await this.transport.request({ method: 'GET', path: '/queues', check: queueStats, idempotent: true, signal: options.signal })).value;
  }

  /** `GET /usage`: completed calls and tokens per provider and model, and the totals. */
  async getUsage(options: CallOptions = {}): Promise<UsageReport> {
    return (await this.transport.request({ method: 'GET', path: '/usage', check: usageReport, idempotent: true, signal: options.signal })).value;
  }

  private async submitOneByOne(bodies: WorkflowRequestInput[], options: CallOptions): Promise<BatchResult[]> {
    const results: BatchResult[] = [];
    for (const body of bodies) {
      try {
        results.push({ ok: true, status: 200, workflow: await this.submitWorkflow(body, options) });
      } catch (error) {
        if (!(error instanceof OrchestraError && error.kind === 'http')) throw error;
        results.push({ ok: false, status: error.status ?? 0, detail: error.detail ?? '', error });
      }
    }
    return results;
  }

  private async waitFor(workflowId: string, options: WaitOptions, initial: WorkflowStatusResponse | undefined): Promise<WorkflowStatusResponse> {
    const timeout = options.timeout ?? 300_000;
    const { controller, dispose } = linkedController(options.signal);
    const timer = setTimeout(() => controller.abort(new TimeoutReason(timeout)), timeout);
    const report = progressReporter(options.onProgress);
    try {
      if (initial !== undefined) {
        report(initial);
        if (isFinished(initial)) return initial;
      }
      return await this.follow(workflowId, controller.signal, report, options.onProgress !== undefined);
    } catch (error) {
      if (options.signal?.aborted !== true && controller.signal.reason instanceof TimeoutReason) {
        throw new OrchestraError({ kind: 'timeout', message: `Workflow ${workflowId} timed out after ${timeout}ms`, cause: error });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      dispose();
    }
  }

  /** Follows the workflow to its end: by its event stream, else by long polls. */
  private async follow(
    workflowId: string,
    signal: AbortSignal,
    report: (status: WorkflowStatusResponse) => void,
    wantsProgress: boolean,
  ): Promise<WorkflowStatusResponse> {
    for await (const item of this.eventStream(workflowId, undefined, signal)) {
      if (item.kind === 'unavailable') break;
      const event = item.event;
      if (event.type === 'task.token' || (!wantsProgress && !isTerminalEvent(event))) continue;
      if (event.type === 'workflow.cancelled') throw cancelledError(workflowId);
      let status: WorkflowStatusResponse;
      try {
        status = await this.getWorkflowStatus(workflowId, { signal });
      } catch (error) {
        if (error instanceof OrchestraError && error.isNotFound) throw cancelledError(workflowId);
        throw error;
      }
      report(status);
      if (isFinished(status)) return status;
    }
    for await (const status of this.longPoll(workflowId, signal, wantsProgress)) {
      if (status === undefined) throw cancelledError(workflowId);
      report(status);
      if (isFinished(status)) return status;
    }
    throw cancelledError(workflowId);
  }

  /**
   * Status reads with `?wait=` until the workflow is finished; `undefined` once when it is gone
   * (deleted). With `sample`, each poll waits at most `pollingInterval` so that intermediate
   * states are seen; otherwise the longest wait the server allows.
   */
  private async *longPoll(workflowId: string, signal: AbortSignal | undefined, sample: boolean): AsyncGenerator<WorkflowStatusResponse | undefined> {
    const waitSeconds = sample ? Math.min(Math.max(this.pollingInterval, 1) / 1000, maxLongPollSeconds) : maxLongPollSeconds;
    for (;;) {
      const started = Date.now();
      let status: WorkflowStatusResponse;
      try {
        status = await this.getWorkflowStatus(workflowId, { wait: waitSeconds, signal });
      } catch (error) {
        if (error instanceof OrchestraError && error.isNotFound) {
          yield undefined;
          return;
        }
        throw error;
      }
      yield status;
      if (isFinished(status)) return;
      // A gateway that ignores `wait` answers at once: keep to the polling interval then.
      const early = Math.min(this.pollingInterval, waitSeconds * 1000) - (Date.now() - started);
      if (early > 0) await delay(early, signal, `Waiting for workflow ${workflowId}`);
    }
  }

  /**
   * The workflow's SSE stream, reconnecting with `Last-Event-ID` after a dropped or silent
   * connection; yields `unavailable` once (and ends) when the gateway has no event stream.
   */
  private async *eventStream(workflowId: string, lastEventId: string | undefined, signal: AbortSignal | undefined): AsyncGenerator<StreamItem> {
    const { settings } = this.transport;
    const path = `/workflows/${encodeURIComponent(workflowId)}/events`;
    const url = this.transport.url(path);
    const what = `GET ${path}`;
    let last = lastEventId === '' ? undefined : lastEventId;
    let failures = 0;
    let retryMs: number | undefined;

    for (;;) {
      throwIfAborted(signal, what);
      const headers = this.transport.headers({ Accept: 'text/event-stream', 'Cache-Control': 'no-cache' });
      delete headers['Content-Type'];
      if (last !== undefined) headers['Last-Event-ID'] = last;
      const { controller, dispose } = linkedController(signal);
      const connectTimer = setTimeout(() => controller.abort(new TimeoutReason(settings.requestTimeoutMs)), settings.requestTimeoutMs);
      let response: Response;
      try {
        response = await settings.fetch(url, { method: 'GET', headers, signal: controller.signal });
      } catch (error) {
        clearTimeout(connectTimer);
        dispose();
        if (signal?.aborted === true) throw abortedError(signal, what);
        failures += 1;
        if (failures >= settings.retry.maxAttempts) throw this.transport.transportFailure(error, controller.signal, 'GET', url, failures);
        await delay(this.transport.backoff(failures), signal, what);
        continue;
      }
      clearTimeout(connectTimer);

      if (!response.ok || response.body === null) {
        const text = await response.text().catch(() => '');
        dispose();
        if (response.status === 404 || response.status === 501) {
          // Either the workflow does not exist (this read then throws the 404) or the gateway has no stream.
          if (response.status === 404) await this.getWorkflowStatus(workflowId, { signal });
          yield { kind: 'unavailable' };
          return;
        }
        failures += 1;
        if ([502, 503, 504].includes(response.status) && failures < settings.retry.maxAttempts) {
          await delay(this.transport.backoff(failures, response.headers.get('Retry-After')), signal, what);
          continue;
        }
        throw httpError('GET', url, response.status, text, failures);
      }

      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser();
      let idleTimer: ReturnType<typeof setTimeout> | undefined;
      const resetIdle = (): void => {
        if (idleTimer !== undefined) clearTimeout(idleTimer);
        idleTimer = setTimeout(() => controller.abort(new TimeoutReason(this.streamIdleTimeoutMs)), this.streamIdleTimeoutMs);
      };
      let progressed = false;
      try {
        resetIdle();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          resetIdle();
          for (const message of parser.push(decoder.decode(value, { stream: true }))) {
            const event = parseEvent(message.event, message.id, message.data, what, url);
            last = message.id;
            progressed = true;
            failures = 0;
            if (event === undefined) continue;
            yield { kind: 'event', event };
            if (isTerminalEvent(event)) return;
          }
        }
      } catch (error) {
        if (signal?.aborted === true) throw abortedError(signal, what);
        if (error instanceof OrchestraError) throw error;
        // The connection broke or went silent: reopen it after the last event seen.
      } finally {
        if (idleTimer !== undefined) clearTimeout(idleTimer);
        controller.abort();
        dispose();
        reader.cancel().catch(() => undefined);
      }
      retryMs = parser.retryMs ?? retryMs;
      if (progressed) {
        if (retryMs !== undefined) await delay(Math.min(retryMs, settings.retry.maxDelayMs), signal, what);
        continue;
      }
      failures += 1;
      if (failures >= settings.retry.maxAttempts) {
        throw new OrchestraError({
          kind: 'connection',
          message: `${what} kept closing without delivering an event (${failures} attempts)`,
          method: 'GET',
          url,
          attempts: failures,
        });
      }
      await delay(this.transport.backoff(failures), signal, what);
    }
  }
}

/** The AI Orchestra client under its own name; the same class as `SwarmInterface`. */
export const OrchestraClient = SwarmInterface;
/** The AI Orchestra client under its own name; the same class as `SwarmInterface`. */
export type OrchestraClient = SwarmInterface;

function toRequest(request: Submittable): WorkflowRequestInput {
  return request instanceof WorkflowBuilder ? request.build() : request;
}

/** Calls `onProgress` when the state (workflow status, each task's status, task count) changed. */
function progressReporter(onProgress: ProgressCallback | undefined): (status: WorkflowStatusResponse) => void {
  let previous: string | undefined;
  return (status) => {
    const key = `${status.status}|${status.tasks.map((task) => task.status).join(',')}`;
    if (key === previous) return;
    previous = key;
    onProgress?.(status);
  };
}

function cancelledError(workflowId: string): OrchestraError {
  return new OrchestraError({ kind: 'cancelled', status: 404, message: `Workflow ${workflowId} was deleted (cancelled) while waiting for it` });
}

function cancelledEvent(workflowId: string): WorkflowEvent {
  return { id: '', type: 'workflow.cancelled', workflow_id: workflowId, timestamp: new Date().toISOString() };
}

/** Parses one SSE message into a checked event (`undefined` for an unknown type). */
function parseEvent(type: string, id: string | undefined, data: string, what: string, url: string): WorkflowEvent | undefined {
  const invalid = (message: string, path?: string, cause?: unknown): OrchestraError =>
    new OrchestraError({ kind: 'invalid_response', message: `Invalid event from ${what}: ${message}`, path, method: 'GET', url, cause });
  if (id === undefined || id === '') throw invalid(`a ${JSON.stringify(type)} event without an id`);
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (error) {
    throw invalid(`event ${id}: data is not JSON`, 'data', error);
  }
  try {
    return checkEvent(type, id, json);
  } catch (error) {
    if (error instanceof ValidationFailure) throw invalid(`event ${id}: ${error.message}`, error.path, error);
    throw error;
  }
}

interface BatchEntry {
  status: number;
  workflow?: WorkflowStatusResponse;
  detail?: string | ValidationIssue[];
}

/** `[{status: 200, workflow}, {status: 4xx, detail}, …]`, one entry per request. */
function batchAnswer(expected: number): Check<BatchEntry[]> {
  const entry: Check<BatchEntry> = (value, path) => {
    const fields = object(value, path);
    const status = required(fields, 'status', path, count);
    if (status >= 200 && status < 300) {
      return { status, workflow: required(fields, 'workflow', path, workflowStatusResponse) };
    }
    const detail = required(fields, 'detail', path, (v, p): string | ValidationIssue[] => {
      if (typeof v === 'string') return v;
      if (!Array.isArray(v)) throw new ValidationFailure(p, 'a string or an array of issues', typeof v);
      return v.map((issue: unknown, index) => {
        const at = `${p}[${index}]`;
        const f = object(issue, at);
        const loc = required(f, 'loc', at, (l, lp): (string | number)[] => {
          if (!Array.isArray(l)) throw new ValidationFailure(lp, 'an array', typeof l);
          return l.map((part: unknown, i) => {
            if (typeof part === 'string' || typeof part === 'number') return part;
            throw new ValidationFailure(`${lp}[${i}]`, 'a string or a number', typeof part);
          });
        });
        return { ...f, loc, msg: required(f, 'msg', at, string), type: required(f, 'type', at, string) } as ValidationIssue;
      });
    });
    return { status, detail };
  };
  return (value, path) => {
    if (!Array.isArray(value)) throw new ValidationFailure(path, 'an array', typeof value);
    if (value.length !== expected) throw new ValidationFailure(path, `${expected} entries (one per request)`, `${value.length}`);
    return value.map((element: unknown, index) => entry(element, `${path}[${index}]`));
  };
}

