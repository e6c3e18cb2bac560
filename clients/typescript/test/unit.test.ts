// Pure logic: the SSE parser, the validators, the builder and the seed's patterns, the schemas,
// and events derived from status reads. No server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  OrchestraError,
  TaskStatus,
  ValidationFailure,
  WorkflowBuilder,
  WorkflowPatterns,
  WorkflowRequestSchema,
  WorkflowStatusResponseSchema,
  WorkflowType,
  type WorkflowStatusResponse,
} from 'ai-orchestra';
import { SseParser } from '../dist/sse.js';
import { statusEvents } from '../dist/status-events.js';
import { checkEvent } from '../dist/events.js';
import { completedStatus, pendingStatus } from './support/fixtures.js';

test('SSE parser: fields, comments, multi-line data, ids carried over, CR/LF/CRLF split anywhere', () => {
  const stream =
    ': hello\r\n\r\nid: 1-0\r\nevent: task.token\r\ndata: {"a":\r\ndata: 1}\r\n\r\n' +
    'event: x\rdata: plain\r\r' +
    'retry: 1500\nid: 2-0\nevent: y\ndata:no-space\n\n' +
    'data\n\n' +
    'event: empty\n\n' +
    'id: bad\u0000id\nevent: z\ndata: after a NUL id\n\n';
  const expected = [
    { id: '1-0', event: 'task.token', data: '{"a":\n1}' },
    { id: '1-0', event: 'x', data: 'plain' },
    { id: '2-0', event: 'y', data: 'no-space' },
    { id: '2-0', event: 'message', data: '' },
    { id: '2-0', event: 'z', data: 'after a NUL id' },
  ];
  // Whole, then cut at every position (CRLF pairs split across chunks included).
  const whole = new SseParser();
  assert.deepEqual(whole.push(stream), expected);
  assert.equal(whole.retryMs, 1500);
  for (let cut = 1; cut < stream.length; cut += 1) {
    const parser = new SseParser();
    const messages = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
    assert.deepEqual(messages, expected, `cut at ${cut}`);
  }
  // One character at a time.
  const slow = new SseParser();
  const messages = [...stream].flatMap((char) => slow.push(char));
  assert.deepEqual(messages, expected);
});

test('responses: a missing field, a wrong type or an unknown status fails with its JSON path', () => {
  const good = completedStatus('wf-1');
  assert.deepEqual(WorkflowStatusResponseSchema.parse(good), good);

  const cases: [string, (status: { [key: string]: unknown } & { tasks: { [key: string]: unknown }[] }) => void, RegExp][] = [
    ['tasks[1].status', (s) => delete s.tasks[1]?.status, /tasks\[1\]\.status: expected a required field, got nothing \(missing\)/],
    ['tasks[2].status', (s) => ((s.tasks[2] as { status: unknown }).status = 'paused'), /tasks\[2\]\.status: expected one of "pending", "running", "completed", "failed", got string "paused"/],
    ['status', (s) => (s.status = 'done'), /^status: expected one of "pending", "running", "completed", "failed", "partial"/],
    ['started_at', (s) => delete s.started_at, /started_at: expected a required field/],
    ['tasks[0].result.output', (s) => (((s.tasks[0] as { result: { output: unknown } }).result.output = 'plain text')), /tasks\[0\]\.result\.output: expected an object, got string "plain text"/],
    ['tasks[0].result.output.message', (s) => delete (s.tasks[0] as { result: { output: { message?: unknown } } }).result.output.message, /tasks\[0\]\.result\.output\.message/],
    ['tasks[0].result.usage.prompt_tokens', (s) => (((s.tasks[0] as { result: { usage: { prompt_tokens: unknown } } }).result.usage.prompt_tokens = '12')), /tasks\[0\]\.result\.usage\.prompt_tokens: expected an integer >= 0, got string "12"/],
    ['metadata', (s) => (s.metadata = []), /^metadata: expected an object, got an array/],
    ['tasks[0].attempts', (s) => ((s.tasks[0] as { attempts: unknown }).attempts = 'two'), /tasks\[0\]\.attempts: expected an integer >= 0/],
  ];
  for (const [path, doctor, message] of cases) {
    const status = structuredClone(good) as unknown as { [key: string]: unknown } & { tasks: { [key: string]: unknown }[] };
    doctor(status);
    const result = WorkflowStatusResponseSchema.safeParse(status);
    assert.equal(result.success, false, path);
    if (!result.success) {
      assert.equal(result.error.path, path);
      assert.match(result.error.message, message);
    }
  }
});

test('responses: unknown extra fields are kept, optional additions are checked when present', () => {
  const status = { ...completedStatus('wf-2'), shiny_new_field: { a: 1 } };
  const parsed = WorkflowStatusResponseSchema.parse(status) as WorkflowStatusResponse & { shiny_new_field?: unknown };
  assert.deepEqual(parsed.shiny_new_field, { a: 1 });
  assert.equal(parsed.tasks[0]?.status, TaskStatus.COMPLETED);
  assert.equal(parsed.tasks[0]?.result?.output.message, 'answer 0');
  const pending = pendingStatus('wf-3');
  assert.deepEqual(WorkflowStatusResponseSchema.parse(pending), pending);
  assert.throws(() => WorkflowStatusResponseSchema.parse(null), (error: unknown) => error instanceof ValidationFailure && error.path === '');
});

test('WorkflowBuilder builds the seed request; build() throws on an empty workflow', () => {
  const request = new WorkflowBuilder(WorkflowType.GRAPH)
    .setId('wf-b')
    .addTask('a', 'backend', { task: 'A' })
    .addTask('b', 'qa', { task: 'B' }, ['a'], { llm_model: 'echo', max_attempts: 2 })
    .addMetadata('k', 'v')
    .build();
  assert.deepEqual(request, {
    workflow_id: 'wf-b',
    workflow_type: 'graph',
    tasks: [
      { agent_id: 'a', agent_role: 'backend', input_data: { task: 'A' }, depends_on: [] },
      { agent_id: 'b', agent_role: 'qa', input_data: { task: 'B' }, depends_on: ['a'], llm_model: 'echo', max_attempts: 2 },
    ],
    metadata: { k: 'v' },
  });
  assert.deepEqual(WorkflowRequestSchema.parse(request), request);
  assert.equal('workflow_id' in new WorkflowBuilder(WorkflowType.PARALLEL).addTask('x', 'qa', {}).build(), false);
  assert.throws(
    () => new WorkflowBuilder(WorkflowType.SEQUENTIAL).build(),
    (error: unknown) => error instanceof OrchestraError && error.kind === 'invalid_request' && error.message === 'Workflow must have at least one task',
  );
});

test("WorkflowPatterns: the seed's three patterns", () => {
  const fullStack = WorkflowPatterns.fullStackDevelopment('User authentication system').build();
  assert.equal(fullStack.workflow_type, WorkflowType.SEQUENTIAL);
  assert.deepEqual(
    fullStack.tasks.map((task) => [task.agent_id, task.agent_role]),
    [
      ['frontend-agent', 'frontend'],
      ['backend-agent', 'backend'],
      ['qa-agent-1', 'qa'],
      ['debugger-agent', 'debugger'],
      ['qa-agent-2', 'qa'],
    ],
  );
  assert.deepEqual(fullStack.metadata, { pattern: 'full-stack-development', feature: 'User authentication system' });
  assert.match(String(fullStack.tasks[0]?.input_data.task), /User authentication system/);

  const review = WorkflowPatterns.parallelCodeReview('let x = 1', 'typescript').build();
  assert.equal(review.workflow_type, WorkflowType.PARALLEL);
  assert.deepEqual(review.tasks.map((task) => task.agent_id), ['qa-security', 'qa-performance', 'qa-style']);
  assert.ok(review.tasks.every((task) => String(task.input_data.task).includes('let x = 1') && task.agent_role === 'qa'));
  assert.deepEqual(review.metadata, { pattern: 'parallel-code-review', language: 'typescript' });

  const graph = WorkflowPatterns.customGraph().addTask('1', 'frontend', { task: 'x' }).build();
  assert.equal(graph.workflow_type, WorkflowType.GRAPH);
});

test('events: each type is checked; the data type must match the event name; unknown types are skipped', () => {
  const base = { workflow_id: 'w', timestamp: '2024-01-01T00:00:00.000Z' };
  const task = { ...base, agent_id: 'a', task_id: 'w-task-0' };
  assert.deepEqual(checkEvent('task.started', '5-0', { ...task, type: 'task.started', worker_id: 'w1', attempt: 1 }), {
    ...task,
    id: '5-0',
    type: 'task.started',
    worker_id: 'w1',
    attempt: 1,
  });
  assert.equal(checkEvent('workflow.annotated', '6-0', { ...base, type: 'workflow.annotated' }), undefined);
  assert.throws(() => checkEvent('task.token', '7-0', { ...task, type: 'task.token' }), /data\.delta: expected a required field/);
  assert.throws(() => checkEvent('task.token', '7-0', { ...task, type: 'task.completed', delta: 'x' }), /data\.type/);
  assert.throws(() => checkEvent('task.failed', '8-0', { ...base, type: 'task.failed', error: 'x' }), /data\.agent_id/);
  assert.throws(
    () => checkEvent('task.retrying', '9-0', { ...task, type: 'task.retrying', error: 'x', attempt: 1.5, retry_at: 'soon' }),
    /data\.attempt: expected an integer >= 0/,
  );
});

test('events derived from status reads (the long-poll fallback)', () => {
  const pending = WorkflowStatusResponseSchema.parse(pendingStatus('wf-e'));
  const running = structuredClone(pending);
  running.status = 'running' as WorkflowStatusResponse['status'];
  (running.tasks[0] as { status: string }).status = 'running';
  const done = WorkflowStatusResponseSchema.parse(completedStatus('wf-e'));
  const first = statusEvents(undefined, pending).map((event) => event.type);
  assert.deepEqual(first, ['workflow.submitted']);
  assert.deepEqual(statusEvents(pending, running).map((event) => event.type), ['task.started']);
  const last = statusEvents(running, done);
  assert.deepEqual(last.map((event) => event.type), ['task.completed', 'task.started', 'task.completed', 'task.started', 'task.completed', 'workflow.completed']);
  const completed = last[0];
  assert.ok(completed?.type === 'task.completed');
  assert.equal(completed.output, 'answer 0');
});
