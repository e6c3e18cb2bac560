// A loopback gateway that speaks API.md §1/§2 for submit and status and §6 for the event stream:
// ids, event names, JSON data, comment heartbeats, Last-Event-ID (header or query) resume, the
// stream ending after the terminal event. Scripted failures: a connection dropped or gone silent
// after N events. The workflow runs its tasks in order and its status follows the events published.
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { send, startServer, type LoopbackServer, type SeenRequest } from './http-server.js';

export interface FakeGatewayOptions {
  /** `false`: the events path answers 404 like a gateway without the stream. Default true. */
  eventsAvailable?: boolean;
  /** Comment heartbeat interval in ms (0: none). Default 40. */
  heartbeatMs?: number;
  /** Required `X-API-Key`, when set. */
  apiKey?: string;
  /** On the first stream connection, go silent (no events, no heartbeats, socket open) after this many events. */
  silenceFirstConnectionAfter?: number;
  /**
   * On the first stream connection, write no more events after this many (heartbeats go on) until
   * `dropHeldConnection()` destroys it: the test decides when, after the client has seen them.
   */
  holdFirstConnectionAfter?: number;
  /** `immediate`: every event exists at once. `status-read`: each status read publishes the next step. */
  pace?: 'immediate' | 'status-read';
  /** Token events per task. Default 3. */
  tokensPerTask?: number;
  /** Inserts an event of a type the client does not know after `workflow.submitted`. */
  unknownEvent?: boolean;
  /** Replaces the data of the first event of this type with this (to test validation). */
  corrupt?: { type: string; data: { [key: string]: unknown } };
}

/** One scripted event. */
export interface FakeEvent {
  id: string;
  type: string;
  data: { [key: string]: unknown };
}

/** A stream connection as the fake saw it. */
export interface StreamConnection {
  lastEventId: string | undefined;
  apiKey: string | undefined;
  written: string[];
  closedByClient: boolean;
}

interface TaskSpec {
  agent_id: string;
  agent_role: string;
  input_data: { [key: string]: unknown };
}

class FakeWorkflow {
  readonly events: FakeEvent[] = [];
  published: number;
  readonly listeners = new Set<() => void>();
  readonly createdAt = new Date().toISOString();

  constructor(
    readonly id: string,
    readonly type: string,
    readonly tasks: TaskSpec[],
    readonly metadata: { [key: string]: unknown },
    options: FakeGatewayOptions,
    sequence: { next: number },
  ) {
    const add = (type: string, data: { [key: string]: unknown }, task?: { index: number; spec: TaskSpec }): void => {
      sequence.next += 1;
      const timestamp = new Date(Date.parse(this.createdAt) + sequence.next).toISOString();
      const taskFields = task === undefined ? {} : { agent_id: task.spec.agent_id, task_id: `${id}-task-${task.index}` };
      this.events.push({ id: `1718000000000-${sequence.next}`, type, data: { workflow_id: id, type, timestamp, ...taskFields, ...data } });
    };
    add('workflow.submitted', {});
    if (options.unknownEvent === true) add('workflow.annotated', { note: 'a type from a newer server' });
    tasks.forEach((spec, index) => {
      const task = { index, spec };
      add('task.queued', {}, task);
      add('task.started', { worker_id: 'fake-worker-1', attempt: 1 }, task);
      let output = '';
      for (let k = 0; k < (options.tokensPerTask ?? 3); k += 1) {
        const delta = `${spec.agent_id} says part ${k}. `;
        output += delta;
        add('task.token', { delta }, task);
      }
      add('task.completed', { output, usage: { prompt_tokens: 7, completion_tokens: 3 } }, task);
    });
    add('workflow.completed', {});
    if (options.corrupt !== undefined) {
      const target = this.events.find((event) => event.type === options.corrupt?.type);
      if (target !== undefined) target.data = { ...target.data, ...options.corrupt.data };
    }
    // Submitted and the first task queued; the rest as `pace` says.
    this.published = 2 + (options.unknownEvent === true ? 1 : 0);
  }

  /** Publishes every event. */
  publishAll(): void {
    this.published = this.events.length;
    this.listeners.forEach((listener) => listener());
  }

  /** Publishes the next lifecycle event (and the token events before it). */
  step(): void {
    if (this.published >= this.events.length) return;
    do this.published += 1;
    while (this.published < this.events.length && this.events[this.published - 1]?.type === 'task.token');
    this.listeners.forEach((listener) => listener());
  }

  status(): { [key: string]: unknown } {
    const tasks = this.tasks.map((spec, index) => ({
      task_id: `${this.id}-task-${index}`,
      agent_id: spec.agent_id,
      agent_role: spec.agent_role,
      status: 'pending',
      started_at: null as string | null,
      completed_at: null as string | null,
      result: null as { [key: string]: unknown } | null,
      error: null as string | null,
      attempts: 0,
    }));
    const workflow = {
      workflow_id: this.id,
      workflow_type: this.type,
      status: 'pending',
      created_at: this.createdAt,
      started_at: null as string | null,
      completed_at: null as string | null,
      tasks,
      metadata: this.metadata,
    };
    for (const event of this.events.slice(0, this.published)) {
      const data = event.data;
      const task = tasks.find((t) => t.task_id === data.task_id);
      const timestamp = String(data.timestamp);
      if (event.type === 'task.started' && task !== undefined) {
        task.status = 'running';
        task.started_at = timestamp;
        task.attempts = 1;
        workflow.status = 'running';
        workflow.started_at ??= timestamp;
      } else if (event.type === 'task.completed' && task !== undefined) {
        const spec = this.tasks[tasks.indexOf(task)];
        task.status = 'completed';
        task.completed_at = timestamp;
        task.result = {
          agent_id: task.agent_id,
          agent_role: task.agent_role,
          input: spec?.input_data ?? {},
          context: [],
          output: { success: true, message: data.output, timestamp },
          provider: 'echo',
          model: 'echo',
          usage: data.usage,
        };
      } else if (event.type === 'workflow.completed') {
        workflow.status = 'completed';
        workflow.completed_at = timestamp;
      }
    }
    return workflow;
  }
}

/** The fake gateway. */
export class FakeGateway {
  /** Shared with another fake gateway when given: two gateways over one store. */
  readonly workflows: Map<string, FakeWorkflow>;
  readonly connections: StreamConnection[] = [];
  statusReads = 0;
  private server: LoopbackServer | undefined;
  private readonly sequence = { next: 0 };
  private readonly timers = new Set<ReturnType<typeof setInterval>>();
  private dropHeld: (() => void) | undefined;

  constructor(readonly options: FakeGatewayOptions = {}, sharedWith?: FakeGateway) {
    this.workflows = sharedWith?.workflows ?? new Map<string, FakeWorkflow>();
  }

  get url(): string {
    if (this.server === undefined) throw new Error('not started');
    return this.server.url;
  }

  async start(): Promise<this> {
    this.server = await startServer((request, response) => this.handle(request, response));
    return this;
  }

  async stop(): Promise<void> {
    this.timers.forEach((timer) => clearInterval(timer));
    await this.server?.close();
  }

  /** Destroys the held first stream connection (see `holdFirstConnectionAfter`). */
  dropHeldConnection(): void {
    if (this.dropHeld === undefined) throw new Error('no held connection');
    this.dropHeld();
  }

  workflow(id: string): FakeWorkflow {
    const workflow = this.workflows.get(id);
    if (workflow === undefined) throw new Error(`no workflow ${id}`);
    return workflow;
  }

  private handle(request: SeenRequest, response: ServerResponse): void {
    const url = new URL(request.url, 'http://fake');
    if (this.options.apiKey !== undefined && request.headers['x-api-key'] !== this.options.apiKey) {
      send(response, 401, { detail: 'Invalid or missing API key' });
      return;
    }
    let match: RegExpMatchArray | null;
    if (request.method === 'POST' && url.pathname === '/run-graph') {
      const body = JSON.parse(request.body) as { workflow_id?: string; workflow_type: string; tasks: TaskSpec[]; metadata?: { [key: string]: unknown } };
      const id = body.workflow_id ?? randomUUID();
      if (this.workflows.has(id)) {
        send(response, 409, { detail: `Workflow ${id} already exists` });
        return;
      }
      const workflow = new FakeWorkflow(id, body.workflow_type, body.tasks, body.metadata ?? {}, this.options, this.sequence);
      this.workflows.set(id, workflow);
      send(response, 200, workflow.status());
      if (this.options.pace !== 'status-read') workflow.publishAll();
    } else if (request.method === 'GET' && (match = url.pathname.match(/^\/status\/([^/]+)$/)) !== null) {
      const workflow = this.workflows.get(decodeURIComponent(match[1] ?? ''));
      if (workflow === undefined) {
        send(response, 404, { detail: `Workflow ${match[1] ?? ''} not found` });
        return;
      }
      this.statusReads += 1;
      send(response, 200, workflow.status());
      if (this.options.pace === 'status-read') workflow.step();
    } else if (request.method === 'GET' && (match = url.pathname.match(/^\/workflows\/([^/]+)\/events$/)) !== null) {
      if (this.options.eventsAvailable === false) {
        send(response, 404, { detail: 'Not Found' });
        return;
      }
      const workflow = this.workflows.get(decodeURIComponent(match[1] ?? ''));
      if (workflow === undefined) {
        send(response, 404, { detail: `Workflow ${match[1] ?? ''} not found` });
        return;
      }
      this.stream(workflow, request, url, response);
    } else {
      send(response, 404, { detail: 'Not Found' });
    }
  }

  private stream(workflow: FakeWorkflow, request: SeenRequest, url: URL, response: ServerResponse): void {
    const header = request.headers['last-event-id'];
    const lastEventId = typeof header === 'string' ? header : url.searchParams.get('last_event_id') ?? undefined;
    const apiKey = request.headers['x-api-key'];
    const connection: StreamConnection = {
      lastEventId,
      apiKey: typeof apiKey === 'string' ? apiKey : undefined,
      written: [],
      closedByClient: false,
    };
    this.connections.push(connection);
    const number = this.connections.length;
    // The second connection uses CRLF line ends, to exercise the client's parser.
    const eol = number === 2 ? '\r\n' : '\n';
    let cursor = lastEventId === undefined ? 0 : workflow.events.findIndex((event) => event.id === lastEventId) + 1;
    let silent = false;
    let held = false;
    let finished = false;
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    response.write(`: connected${eol}${eol}`);

    const heartbeat = (this.options.heartbeatMs ?? 40) > 0
      ? setInterval(() => {
          if (!silent && !finished) response.write(`: heartbeat${eol}${eol}`);
        }, this.options.heartbeatMs ?? 40)
      : undefined;
    if (heartbeat !== undefined) this.timers.add(heartbeat);
    const close = (): void => {
      finished = true;
      if (heartbeat !== undefined) {
        clearInterval(heartbeat);
        this.timers.delete(heartbeat);
      }
      workflow.listeners.delete(pump);
    };
    const pump = (): void => {
      while (!silent && !held && !finished && cursor < workflow.published) {
        const event = workflow.events[cursor];
        if (event === undefined) return;
        cursor += 1;
        // Every third event spreads its JSON over several data lines.
        const json = cursor % 3 === 0 ? JSON.stringify(event.data, null, 1) : JSON.stringify(event.data);
        const data = json.split('\n').map((line) => `data: ${line}${eol}`).join('');
        response.write(`id: ${event.id}${eol}event: ${event.type}${eol}${data}${eol}`);
        connection.written.push(event.id);
        if (number === 1 && this.options.holdFirstConnectionAfter === connection.written.length) {
          held = true;
          this.dropHeld = () => {
            close();
            response.destroy();
          };
          return;
        }
        if (number === 1 && this.options.silenceFirstConnectionAfter === connection.written.length) {
          silent = true;
          return;
        }
        if (event.type.startsWith('workflow.') && ['completed', 'failed', 'partial', 'cancelled'].includes(event.type.slice(9))) {
          close();
          response.end();
          return;
        }
      }
    };
    response.on('close', () => {
      if (!finished) connection.closedByClient = true;
      close();
    });
    workflow.listeners.add(pump);
    pump();
  }
}
