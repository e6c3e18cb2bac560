// Every method against a real gateway on a private Redis. No worker runs here, so workflows stay
// pending: what this file checks holds whatever shape completed results have.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  OrchestraError,
  SwarmInterface,
  WorkflowBuilder,
  WorkflowPatterns,
  WorkflowStatus,
  WorkflowType,
  type WorkflowEvent,
  type WorkflowRequest,
} from 'ai-orchestra';
import { Cluster, type Gateway } from './support/cluster.js';
import { recordingFetch } from './support/recording-fetch.js';
import { within } from './support/wait.js';

let cluster: Cluster;
let gateway: Gateway;
let client: SwarmInterface;

before(async () => {
  cluster = await Cluster.create();
  gateway = await cluster.startGateway();
  client = new SwarmInterface(gateway.url);
});

after(async () => {
  await cluster.stop();
});

let counter = 0;
function graph(id?: string): WorkflowRequest {
  counter += 1;
  const builder = WorkflowPatterns.customGraph()
    .addTask('api', 'backend', { task: 'Design the API', n: counter })
    .addTask('ui', 'frontend', { task: 'Design the UI' })
    .addTask('qa', 'qa', { task: 'Review both' }, ['api', 'ui'])
    .addMetadata('suite', 'cluster-api')
    .addMetadata('nested', { z: 1, a: [true, null] });
  if (id !== undefined) builder.setId(id);
  return builder.build();
}

function uniqueId(name: string): string {
  return `${name}-${cluster.keyPrefix}-${counter += 1}`;
}

test('getServiceInfo and healthCheck', async () => {
  const info = await client.getServiceInfo();
  assert.equal(info.service, 'AI Orchestra - Orchestration Service');
  assert.equal(info.status, 'running');
  assert.match(info.version, /^\d+\.\d+\.\d+/);
  const health = await client.healthCheck();
  assert.equal(health.status, 'healthy');
  assert.ok(Number.isInteger(health.active_workflows));
  assert.match(health.timestamp, /Z$/);
});

test('submitWorkflow and getWorkflowStatus: the seed shape, metadata as sent', async () => {
  const request = graph();
  const submitted = await client.submitWorkflow(request);
  assert.equal(submitted.status, WorkflowStatus.PENDING);
  assert.equal(submitted.workflow_type, WorkflowType.GRAPH);
  assert.match(submitted.workflow_id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(submitted.metadata, request.metadata);
  assert.deepEqual(
    submitted.tasks.map((task) => [task.task_id, task.agent_id, task.agent_role, task.status, task.result, task.error]),
    request.tasks.map((task, i) => [`${submitted.workflow_id}-task-${i}`, task.agent_id, task.agent_role, 'pending', null, null]),
  );
  const status = await client.getWorkflowStatus(submitted.workflow_id);
  assert.equal(status.workflow_id, submitted.workflow_id);
  assert.equal(status.created_at, submitted.created_at);
  assert.deepEqual(status.metadata, request.metadata);
});

test('WorkflowBuilder.submit, a builder passed to submitWorkflow, and a plain request with defaults left out', async () => {
  const builder = new WorkflowBuilder(WorkflowType.PARALLEL).addTask('one', 'qa', { task: 'x' }).addTask('two', 'qa', { task: 'y' });
  const viaBuilder = await builder.submit(client);
  const viaClient = await client.submitWorkflow(builder);
  assert.notEqual(viaBuilder.workflow_id, viaClient.workflow_id);
  const plain = await client.submitWorkflow({ workflow_type: 'sequential', tasks: [{ agent_id: 't', agent_role: 'backend', input_data: { task: 'z' } }] });
  assert.equal(plain.workflow_type, 'sequential');
  assert.deepEqual(plain.metadata, {});
});

test('listWorkflows: the seed signature, the query object, newest first, the cursor', async () => {
  const first = await client.submitWorkflow(graph());
  const second = await client.submitWorkflow(graph());
  const seedStyle = await client.listWorkflows(WorkflowStatus.PENDING, 100);
  const ids = seedStyle.map((workflow) => workflow.workflow_id);
  assert.ok(ids.includes(first.workflow_id) && ids.includes(second.workflow_id));
  assert.ok(ids.indexOf(second.workflow_id) < ids.indexOf(first.workflow_id), 'newest first');
  assert.ok(seedStyle.every((workflow) => workflow.status === 'pending'));
  assert.equal((await client.listWorkflows(WorkflowStatus.COMPLETED)).length, 0);

  const page = await client.listWorkflows({ status: 'pending', limit: 1 });
  assert.equal(page.length, 1);
  assert.equal(page[0]?.workflow_id, ids[0]);
  // Cursors are coming on the server (X-Next-Cursor); until then there is one page.
  if (page.nextCursor !== null) {
    const next = await client.listWorkflows({ status: 'pending', limit: 1, cursor: page.nextCursor });
    assert.equal(next[0]?.workflow_id, ids[1]);
  }
  const offset = await client.listWorkflows({ status: 'pending', limit: 1, offset: 1 });
  assert.equal(offset[0]?.workflow_id, ids[1]);
});

test('deleteWorkflow, then 404 on status and on a second delete', async () => {
  const submitted = await client.submitWorkflow(graph());
  await client.deleteWorkflow(submitted.workflow_id);
  for (const call of [() => client.getWorkflowStatus(submitted.workflow_id), () => client.deleteWorkflow(submitted.workflow_id)]) {
    await assert.rejects(call(), (error: unknown) => {
      assert.ok(error instanceof OrchestraError);
      assert.ok(error.isNotFound);
      assert.equal(error.status, 404);
      assert.equal(error.detail, `Workflow ${submitted.workflow_id} not found`);
      return true;
    });
  }
});

test('409 for a workflow_id that exists', async () => {
  const id = uniqueId('dup');
  await client.submitWorkflow(graph(id));
  await assert.rejects(client.submitWorkflow(graph(id)), (error: unknown) => {
    assert.ok(error instanceof OrchestraError && error.isConflict);
    assert.equal(error.detail, `Workflow ${id} already exists`);
    assert.equal(error.attempts, 1);
    return true;
  });
});

test('422 with its issues: an unknown dependency, an empty task list', async () => {
  const bad = new WorkflowBuilder(WorkflowType.GRAPH).addTask('a', 'backend', { task: 'x' }, ['nobody']).build();
  await assert.rejects(client.submitWorkflow(bad), (error: unknown) => {
    assert.ok(error instanceof OrchestraError && error.isValidation);
    const issue = error.issues[0];
    assert.ok(issue !== undefined);
    assert.deepEqual(issue.loc.slice(0, 3), ['body', 'tasks', 0]);
    assert.ok(issue.msg.length > 0 && issue.type.length > 0);
    return true;
  });
  await assert.rejects(client.submitWorkflow({ workflow_type: 'parallel', tasks: [] }), (error: unknown) => {
    assert.ok(error instanceof OrchestraError && error.isValidation);
    assert.deepEqual(error.issues[0]?.loc, ['body', 'tasks']);
    return true;
  });
});

test('an aborted wait: the open event stream is cancelled at once', async () => {
  const recorder = recordingFetch();
  const watcher = new SwarmInterface({ baseUrl: gateway.url, fetch: recorder.fetch });
  const controller = new AbortController();
  const waiting = watcher.submitAndWait(graph(), { signal: controller.signal });
  // The gateway serves the workflow's event stream: the wait follows it, no long poll.
  await within('the event stream is opened', 10_000, recorder.sent(/\/workflows\/[^/]+\/events/));
  const started = Date.now();
  controller.abort();
  await within('the wait rejects', 5_000, assert.rejects(waiting, (error: unknown) => error instanceof OrchestraError && error.kind === 'aborted'));
  assert.ok(Date.now() - started < 2_000);
  assert.ok(!recorder.urls.some((url) => /\/status\/[^?]+\?wait=/.test(url)), 'no long poll while the stream is served');
});

test('submitAndWait times out with the seed message', async () => {
  await assert.rejects(client.submitAndWait(graph(), 300), (error: unknown) => {
    assert.ok(error instanceof OrchestraError);
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /^Workflow [0-9a-f-]{36} timed out after 300ms$/);
    return true;
  });
});

test('watch falls back to long polls on a gateway without the stream, and stops when aborted', async (t) => {
  // Does this gateway serve the stream of a workflow that exists? (An unknown id is a 404 either way.)
  const existing = await client.submitWorkflow(graph());
  const probing = new AbortController();
  const probe = await fetch(`${gateway.url}/workflows/${existing.workflow_id}/events`, { signal: probing.signal });
  probing.abort();
  if (probe.status !== 404) {
    t.skip('this gateway serves /workflows/{id}/events: the fallback is covered against the loopback gateway');
    return;
  }
  const recorder = recordingFetch();
  const watcher = new SwarmInterface({ baseUrl: gateway.url, fetch: recorder.fetch, pollingInterval: 200 });
  const submitted = await watcher.submitWorkflow(graph());
  const controller = new AbortController();
  const seen: WorkflowEvent[] = [];
  await assert.rejects(
    (async () => {
      for await (const event of watcher.watch(submitted.workflow_id, { signal: controller.signal })) {
        seen.push(event);
        await recorder.sent(/\?wait=0\.2$/);
        controller.abort();
      }
    })(),
    (error: unknown) => error instanceof OrchestraError && error.kind === 'aborted',
  );
  assert.deepEqual(seen.map((event) => event.type), ['workflow.submitted']);
  assert.equal(seen[0]?.workflow_id, submitted.workflow_id);
});

test('getQueues: the ready roots of pending workflows are counted', async () => {
  await client.submitWorkflow(graph());
  const queues = await client.getQueues();
  assert.ok(queues.shards.length >= 1);
  assert.ok(queues.totals.ready >= 2, `ready ${queues.totals.ready}`);
  assert.equal(queues.totals.ready, queues.shards.reduce((sum, shard) => sum + shard.ready, 0));
  assert.equal(queues.totals.running, 0);
  assert.ok(queues.active_workflows >= 1);
});

test('getUsage: the report has its shape (nothing ran on this cluster)', async () => {
  const usage = await client.getUsage();
  assert.ok(Array.isArray(usage.models));
  assert.equal(usage.totals.total_tokens, usage.totals.prompt_tokens + usage.totals.completion_tokens);
});

test('listPatterns and runPattern; an unknown pattern is a 404, a missing parameter a 422', async () => {
  const patterns = await client.listPatterns();
  const names = patterns.map((pattern) => pattern.name);
  for (const name of ['full-stack-development', 'code-review', 'coordinator-supervised']) assert.ok(names.includes(name), name);
  const review = patterns.find((pattern) => pattern.name === 'code-review');
  assert.deepEqual([...(review?.parameters.required ?? [])].sort(), ['code', 'language']);

  const id = uniqueId('review');
  const submitted = await client.runPattern('code-review', { code: 'let x = 1', language: 'typescript', workflow_id: id, metadata: { by: 'ts' } });
  assert.equal(submitted.workflow_id, id);
  assert.equal(submitted.status, 'pending');
  assert.deepEqual(submitted.metadata, { by: 'ts', pattern: 'code-review' });
  await assert.rejects(client.runPattern('no-such-pattern', {}), (error: unknown) => error instanceof OrchestraError && error.isNotFound);
  await assert.rejects(client.runPattern('code-review', { language: 'go' }), (error: unknown) => {
    assert.ok(error instanceof OrchestraError && error.isValidation);
    assert.ok(error.issues.some((issue) => issue.loc.join('.') === 'body.code'));
    return true;
  });
});

test('submitBatch: one result per request, in order (201-style success, 409 and 422 entries)', async () => {
  const existing = uniqueId('batch-existing');
  await client.submitWorkflow(graph(existing));
  const fresh = uniqueId('batch-fresh');
  const results = await client.submitBatch([graph(fresh), graph(existing), { workflow_type: 'graph', tasks: [] }]);
  assert.equal(results.length, 3);
  const [created, conflict, invalid] = results;
  assert.ok(created?.ok === true);
  assert.equal(created.workflow.workflow_id, fresh);
  assert.ok(conflict?.ok === false);
  assert.equal(conflict.status, 409);
  assert.ok(invalid?.ok === false);
  assert.equal(invalid.status, 422);
  assert.ok(invalid.error.issues.length > 0);
});

test('a gateway that is down: a connection error after the retries', async () => {
  const doomed = await cluster.startGateway();
  const down = new SwarmInterface({ baseUrl: doomed.url, retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 } });
  assert.equal((await down.healthCheck()).status, 'healthy');
  await doomed.child.stop('SIGKILL');
  await assert.rejects(down.getWorkflowStatus('anything'), (error: unknown) => {
    assert.ok(error instanceof OrchestraError);
    assert.equal(error.kind, 'connection');
    assert.equal(error.attempts, 3);
    return true;
  });
});
