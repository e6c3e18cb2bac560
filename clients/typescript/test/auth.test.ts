// A gateway started with API_KEY: 401 without the key and with a wrong one, the public health
// check without it, everything (the event stream request included) with it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OrchestraError, SwarmInterface, WorkflowBuilder, WorkflowType } from 'ai-orchestra';
import { Cluster, type Gateway } from './support/cluster.js';
import { recordingFetch } from './support/recording-fetch.js';

const key = 'ts-client-test-key';
let cluster: Cluster;
let gateway: Gateway;

before(async () => {
  cluster = await Cluster.create();
  gateway = await cluster.startGateway({ API_KEY: key });
});

after(async () => {
  await cluster.stop();
});

const workflow = new WorkflowBuilder(WorkflowType.PARALLEL).addTask('a', 'qa', { task: 'check' }).build();

function isUnauthorized(error: unknown): boolean {
  assert.ok(error instanceof OrchestraError);
  assert.ok(error.isUnauthorized, error.message);
  assert.equal(error.status, 401);
  assert.equal(error.detail, 'Invalid or missing API key');
  assert.equal(error.attempts, 1, 'a 401 is not retried');
  assert.ok(!error.message.includes(key));
  return true;
}

test('without a key: 401 on every protected call; the health check is public', async () => {
  const anonymous = new SwarmInterface(gateway.url);
  assert.equal((await anonymous.healthCheck()).status, 'healthy');
  await assert.rejects(anonymous.submitWorkflow(workflow), isUnauthorized);
  await assert.rejects(anonymous.getWorkflowStatus('x'), isUnauthorized);
  await assert.rejects(anonymous.listWorkflows(), isUnauthorized);
  await assert.rejects(anonymous.getQueues(), isUnauthorized);
});

test('with a wrong key: 401, and the message does not contain the key', async () => {
  const wrong = new SwarmInterface(gateway.url, 'not-the-key');
  await assert.rejects(wrong.submitWorkflow(workflow), isUnauthorized);
  await assert.rejects(wrong.deleteWorkflow('x'), isUnauthorized);
});

test('with the key: calls succeed and every request carries it, the event stream request included', async () => {
  const recorder = recordingFetch();
  const seen: { url: string; key: string | null }[] = [];
  const fetchWithKeyCheck: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    seen.push({ url: String(input), key: headers.get('X-API-Key') });
    return recorder.fetch(input, init);
  };
  const client = new SwarmInterface({ baseUrl: gateway.url, apiKey: key, fetch: fetchWithKeyCheck });
  const submitted = await client.submitWorkflow(workflow);
  assert.equal((await client.getWorkflowStatus(submitted.workflow_id)).workflow_id, submitted.workflow_id);
  assert.ok((await client.listWorkflows()).some((w) => w.workflow_id === submitted.workflow_id));
  const controller = new AbortController();
  await assert.rejects(
    (async () => {
      for await (const event of client.watch(submitted.workflow_id, { signal: controller.signal })) {
        assert.equal(event.workflow_id, submitted.workflow_id);
        controller.abort();
      }
    })(),
    (error: unknown) => error instanceof OrchestraError && error.kind === 'aborted',
  );
  await client.deleteWorkflow(submitted.workflow_id);
  assert.ok(seen.some((request) => request.url.endsWith('/events')));
  assert.ok(seen.every((request) => request.key === key));
});
