// Workflows run to completion on a real gateway and worker (the offline echo provider with a
// latency, so running states are observable). Completed tasks are validated against API.md §1's
// `result` shape.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  OrchestraError,
  SwarmInterface,
  TaskStatus,
  WorkflowBuilder,
  WorkflowPatterns,
  WorkflowStatus,
  WorkflowType,
  type WorkflowEvent,
  type WorkflowStatusResponse,
} from 'ai-orchestra';
import { Cluster, type Gateway } from './support/cluster.js';
import { within } from './support/wait.js';

let cluster: Cluster;
let gateway: Gateway;
let client: SwarmInterface;

before(async () => {
  cluster = await Cluster.create({ ECHO_LATENCY_MS: '250' });
  gateway = await cluster.startGateway();
  cluster.startWorker();
  client = new SwarmInterface(gateway.url, undefined, 100);
});

after(async () => {
  await cluster.stop();
});

function stateOf(status: WorkflowStatusResponse): string {
  return `${status.status}:${status.tasks.map((task) => task.status).join(',')}`;
}

test('submitAndWait with onProgress: running states seen, each state reported once', async () => {
  const workflow = new WorkflowBuilder(WorkflowType.SEQUENTIAL)
    .addTask('task-1', 'backend', { task: 'Create API endpoint' })
    .addTask('task-2', 'qa', { task: 'Review API' })
    .build();
  const reported: string[] = [];
  const result = await within(
    'the workflow finishes',
    30_000,
    client.submitAndWait(workflow, 30_000, (status) => {
      reported.push(stateOf(status));
    }),
  );
  assert.equal(result.status, WorkflowStatus.COMPLETED);
  for (let i = 1; i < reported.length; i += 1) assert.notEqual(reported[i], reported[i - 1], `state ${i} repeated: ${reported.join(' → ')}`);
  assert.equal(reported[0], 'pending:pending,pending');
  assert.ok(reported.includes('running:running,pending'), reported.join(' → '));
  assert.ok(reported.includes('running:completed,running'), reported.join(' → '));
  assert.equal(reported.at(-1), 'completed:completed,completed');

  const [first, second] = result.tasks;
  assert.ok(first?.result !== null && first?.result !== undefined && second?.result !== null && second?.result !== undefined);
  assert.equal(first.result.provider, 'echo');
  assert.equal(first.result.output.success, true);
  assert.match(first.result.output.message, /Create API endpoint/);
  assert.deepEqual(first.result.input, { task: 'Create API endpoint' });
  assert.deepEqual(second.result.context, ['task-1']);
  assert.ok(second.result.usage.prompt_tokens > 0);
});

test('WorkflowBuilder.submitAndWait and the seed patterns run to completion', async () => {
  const review = await within('the review finishes', 30_000, WorkflowPatterns.parallelCodeReview('let x = 1;', 'typescript').submitAndWait(client));
  assert.equal(review.status, WorkflowStatus.COMPLETED);
  assert.deepEqual(review.metadata, { pattern: 'parallel-code-review', language: 'typescript' });
  assert.ok(review.tasks.every((task) => task.status === TaskStatus.COMPLETED && task.result?.output.message !== ''));

  const graph = await within(
    'the graph finishes',
    30_000,
    WorkflowPatterns.customGraph()
      .addTask('1', 'frontend', { task: 'UI' })
      .addTask('2', 'backend', { task: 'API' })
      .addTask('3', 'qa', { task: 'Review' }, ['1', '2'])
      .submitAndWait(client, 30_000),
  );
  assert.equal(graph.status, WorkflowStatus.COMPLETED);
  assert.deepEqual([...(graph.tasks[2]?.result?.context ?? [])].sort(), ['1', '2']);
});

test('runPattern then waitForWorkflow', async () => {
  const submitted = await client.runPattern('code-review', { code: 'fn main() {}', language: 'rust' });
  const done = await within('the pattern finishes', 30_000, client.waitForWorkflow(submitted.workflow_id, { timeout: 30_000 }));
  assert.equal(done.status, WorkflowStatus.COMPLETED);
});

test('watch: every task starts and completes, then the workflow', async () => {
  const submitted = await client.submitWorkflow(
    new WorkflowBuilder(WorkflowType.PARALLEL).addTask('a', 'qa', { task: 'one' }).addTask('b', 'qa', { task: 'two' }),
  );
  const events: WorkflowEvent[] = [];
  await within('watch ends', 30_000, (async () => {
    for await (const event of client.watch(submitted.workflow_id)) events.push(event);
  })());
  for (const agent of ['a', 'b']) {
    const types = events.filter((event) => 'agent_id' in event && event.agent_id === agent).map((event) => event.type);
    assert.ok(types.indexOf('task.started') >= 0 && types.indexOf('task.started') < types.indexOf('task.completed'), `${agent}: ${types.join(',')}`);
  }
  assert.equal(events.at(-1)?.type, 'workflow.completed');
  const completed = events.find((event) => event.type === 'task.completed');
  assert.ok(completed?.type === 'task.completed' && completed.output.length > 0);
});

test('getUsage counts the echo calls', async () => {
  const usage = await client.getUsage();
  const echo = usage.models.find((model) => model.provider === 'echo');
  assert.ok(echo !== undefined && echo.calls >= 2);
  assert.ok(usage.totals.total_tokens >= echo.total_tokens);
});

test('deleting a running workflow makes its wait reject as cancelled', async () => {
  const workflow = new WorkflowBuilder(WorkflowType.SEQUENTIAL)
    .addTask('s1', 'backend', { task: 'one' })
    .addTask('s2', 'backend', { task: 'two' })
    .addTask('s3', 'backend', { task: 'three' })
    .build();
  let deleting: Promise<void> | undefined;
  await assert.rejects(
    within(
      'the wait ends',
      30_000,
      client.submitAndWait(workflow, {
        timeout: 30_000,
        onProgress: (status) => {
          if (status.status === WorkflowStatus.RUNNING && deleting === undefined) deleting = client.deleteWorkflow(status.workflow_id);
        },
      }),
    ),
    (error: unknown) => error instanceof OrchestraError && error.kind === 'cancelled',
  );
  await deleting;
});
