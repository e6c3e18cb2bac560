// Requests against tiny loopback servers that answer exactly what each test needs: doctored
// bodies, 503s, a 409 after a retried submit, 422 issues, hanging answers, cursors, batches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrchestraError, SwarmInterface, WorkflowBuilder, WorkflowType, type WorkflowRequest } from 'ai-orchestra';
import { completedStatus, pendingStatus } from './support/fixtures.js';
import { freePort } from './support/cluster.js';
import { send, startServer, type LoopbackServer, type SeenRequest } from './support/http-server.js';
import type { ServerResponse } from 'node:http';
import { signalled, within } from './support/wait.js';

const fast = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

async function withServer<T>(
  handler: (request: SeenRequest, response: ServerResponse) => void | Promise<void>,
  body: (server: LoopbackServer, client: SwarmInterface) => Promise<T>,
): Promise<T> {
  const server = await startServer(handler);
  try {
    return await body(server, new SwarmInterface({ baseUrl: server.url, retry: fast }));
  } finally {
    await server.close();
  }
}

function isError(kind: string, check: (error: OrchestraError) => void = () => undefined): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof OrchestraError, `an OrchestraError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    check(error);
    return true;
  };
}

const request: WorkflowRequest = new WorkflowBuilder(WorkflowType.GRAPH).addTask('a', 'backend', { task: 'A' }).build();

test('a response with a missing field is rejected, naming the JSON path', async () => {
  const doctored = completedStatus('wf-x');
  delete (doctored.tasks[1] as { status?: unknown }).status;
  const listed = [pendingStatus('wf-1'), { ...pendingStatus('wf-2'), status: 'paused' }];
  await withServer(
    (req, res) => {
      if (req.url.startsWith('/status/')) send(res, 200, doctored);
      else if (req.url.startsWith('/workflows')) send(res, 200, listed);
      else if (req.url === '/health') send(res, 200, { status: 'healthy', timestamp: 'now' });
      else send(res, 404, { detail: 'Not Found' });
    },
    async (_, client) => {
      await assert.rejects(
        client.getWorkflowStatus('wf-x'),
        isError('invalid_response', (error) => {
          assert.equal(error.path, 'tasks[1].status');
          assert.match(error.message, /^Invalid response from GET \/status\/wf-x: tasks\[1\]\.status: expected a required field, got nothing \(missing\)$/);
        }),
      );
      await assert.rejects(client.listWorkflows(), isError('invalid_response', (error) => assert.equal(error.path, '[1].status')));
      await assert.rejects(client.healthCheck(), isError('invalid_response', (error) => assert.equal(error.path, 'active_workflows')));
    },
  );
});

test('unknown extra fields in a response are accepted and kept', async () => {
  const body = { ...completedStatus('wf-y'), added_later: [1, 2] };
  (body.tasks[0] as { [key: string]: unknown }).lease_owner = 'w-9';
  await withServer(
    (_, res) => send(res, 200, body),
    async (_, client) => {
      const status = await client.getWorkflowStatus('wf-y');
      assert.deepEqual(status, body);
    },
  );
});

test('reads are retried with backoff on 503 and succeed; the error after the last attempt says how many', async () => {
  let calls = 0;
  await withServer(
    (_, res) => {
      calls += 1;
      if (calls <= 2) send(res, 503, { detail: 'Storage unavailable: Redis connectionClosed' });
      else send(res, 200, pendingStatus('wf-r'));
    },
    async (server, client) => {
      const status = await client.getWorkflowStatus('wf-r');
      assert.equal(status.workflow_id, 'wf-r');
      assert.equal(server.requests.length, 3);
    },
  );
  await withServer(
    (_, res) => send(res, 503, { detail: 'Storage unavailable: Redis connectionClosed' }),
    async (server, client) => {
      await assert.rejects(
        client.healthCheck(),
        isError('http', (error) => {
          assert.equal(error.status, 503);
          assert.equal(error.attempts, 3);
          assert.equal(error.detail, 'Storage unavailable: Redis connectionClosed');
        }),
      );
      assert.equal(server.requests.length, 3);
    },
  );
});

test('a submit without workflow_id is never retried', async () => {
  await withServer(
    (_, res) => send(res, 503, { detail: 'Storage unavailable' }),
    async (server, client) => {
      await assert.rejects(client.submitWorkflow(request), isError('http', (error) => assert.equal(error.status, 503)));
      assert.equal(server.requests.length, 1);
    },
  );
});

test('a submit with workflow_id is retried; a 409 on the retry means it landed: its status is returned', async () => {
  let stored: { [key: string]: unknown } | undefined;
  await withServer(
    (req, res) => {
      if (req.method === 'POST') {
        if (stored === undefined) {
          // The first attempt lands, but its answer is lost (a 503 from a proxy).
          stored = pendingStatus('wf-idem');
          send(res, 503, 'upstream failed');
        } else send(res, 409, { detail: 'Workflow wf-idem already exists' });
      } else send(res, 200, stored);
    },
    async (server, client) => {
      const status = await client.submitWorkflow({ ...request, workflow_id: 'wf-idem' });
      assert.equal(status.workflow_id, 'wf-idem');
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.url}`),
        ['POST /run-graph', 'POST /run-graph', 'GET /status/wf-idem'],
      );
      assert.equal(JSON.parse(server.requests[0]?.body ?? '{}').workflow_id, 'wf-idem');
    },
  );
  // A 409 on the first attempt is a real conflict.
  await withServer(
    (_, res) => send(res, 409, { detail: 'Workflow wf-idem already exists' }),
    async (server, client) => {
      await assert.rejects(
        client.submitWorkflow({ ...request, workflow_id: 'wf-idem' }),
        isError('http', (error) => {
          assert.ok(error.isConflict);
          assert.equal(error.detail, 'Workflow wf-idem already exists');
          assert.equal(error.message, 'Orchestration service request failed: 409 {"detail":"Workflow wf-idem already exists"}');
        }),
      );
      assert.equal(server.requests.length, 1);
    },
  );
});

test('a 422 carries its issues with loc, msg, type, input and ctx', async () => {
  const detail = [
    { loc: ['body', 'tasks', 0, 'depends_on', 0], msg: 'Unknown dependency: zz', type: 'value_error', input: 'zz', ctx: { error: 'unknown' } },
    { loc: ['body', 'workflow_type'], msg: "Input should be 'sequential', 'parallel' or 'graph'", type: 'enum' },
  ];
  await withServer(
    (_, res) => send(res, 422, { detail }),
    async (_, client) => {
      await assert.rejects(
        client.submitWorkflow(request),
        isError('http', (error) => {
          assert.ok(error.isValidation);
          assert.deepEqual(error.issues, detail);
          assert.match(error.message, /body\.tasks\.0\.depends_on\.0: Unknown dependency: zz \(value_error\)/);
        }),
      );
    },
  );
});

test('a request that hangs: aborted by the signal, or timed out by requestTimeoutMs', async () => {
  const arrived = signalled();
  await withServer(
    () => arrived.resolve(), // never answers
    async (server) => {
      const client = new SwarmInterface({ baseUrl: server.url, requestTimeoutMs: 60_000, retry: fast });
      const controller = new AbortController();
      const pending = client.getWorkflowStatus('wf-h', { signal: controller.signal });
      await within('the request arrives', 5_000, arrived.promise);
      controller.abort();
      await within('the abort', 2_000, assert.rejects(pending, isError('aborted')));

      const impatient = new SwarmInterface({ baseUrl: server.url, requestTimeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 1 } });
      await assert.rejects(impatient.healthCheck(), isError('timeout', (error) => assert.equal(error.attempts, 2)));
    },
  );
});

test('nothing listening: a connection error after the retries', async () => {
  const port = await freePort();
  const client = new SwarmInterface({ baseUrl: `http://127.0.0.1:${port}`, retry: fast });
  await assert.rejects(
    client.healthCheck(),
    isError('connection', (error) => {
      assert.equal(error.attempts, 3);
      assert.match(error.message, /ECONNREFUSED \(3 attempts\)/);
    }),
  );
});

test('listWorkflows: the seed signature and the query object; the next cursor from X-Next-Cursor', async () => {
  const pages: { [cursor: string]: { body: unknown; next?: string } } = {
    '': { body: [pendingStatus('wf-3'), pendingStatus('wf-2')], next: 'c2' },
    c2: { body: [pendingStatus('wf-1')] },
  };
  await withServer(
    (req, res) => {
      const url = new URL(req.url, 'http://x');
      const page = pages[url.searchParams.get('cursor') ?? ''];
      send(res, 200, page?.body ?? [], page?.next === undefined ? {} : { 'X-Next-Cursor': page.next });
    },
    async (server, client) => {
      const first = await client.listWorkflows({ status: 'pending', limit: 2 });
      assert.deepEqual(first.map((w) => w.workflow_id), ['wf-3', 'wf-2']);
      assert.equal(first.nextCursor, 'c2');
      const second = await client.listWorkflows({ limit: 2, cursor: first.nextCursor ?? '' });
      assert.equal(second.nextCursor, null);
      const all: string[] = [];
      for await (const workflow of client.iterateWorkflows({ limit: 2 })) all.push(workflow.workflow_id);
      assert.deepEqual(all, ['wf-3', 'wf-2', 'wf-1']);
      await client.listWorkflows(undefined, 7);
      assert.deepEqual(
        server.requests.map((r) => r.url),
        [
          '/workflows?status=pending&limit=2',
          '/workflows?limit=2&cursor=c2',
          '/workflows?limit=2',
          '/workflows?limit=2&cursor=c2',
          '/workflows?limit=7',
        ],
      );
    },
  );
});

test('submitBatch: one result per request; a retried batch turns its 409s into the landed workflows', async () => {
  const ids = ['b-1', 'b-2', 'b-3'];
  let posts = 0;
  await withServer(
    (req, res) => {
      if (req.method === 'GET') {
        send(res, 200, pendingStatus(decodeURIComponent(req.url.slice('/status/'.length))));
        return;
      }
      posts += 1;
      const body = JSON.parse(req.body) as { workflow_id?: string }[];
      if (posts === 1 && body.every((r) => r.workflow_id !== undefined)) {
        send(res, 503, { detail: 'Storage unavailable' });
        return;
      }
      send(
        res,
        200,
        body.map((r, i) =>
          i === 0 && posts > 1
            ? { status: 409, detail: `Workflow ${r.workflow_id ?? ''} already exists` }
            : i === 2
              ? { status: 422, detail: [{ loc: ['body', 'tasks'], msg: 'List should have at least 1 item', type: 'too_short' }] }
              : { status: 200, workflow: pendingStatus(r.workflow_id ?? 'generated') },
        ),
      );
    },
    async (server, client) => {
      const results = await client.submitBatch(ids.map((id) => ({ ...request, workflow_id: id })));
      assert.equal(results.length, 3);
      const [landed, fresh, invalid] = results;
      assert.ok(landed?.ok === true && landed.workflow.workflow_id === 'b-1', 'the 409 of the retry is the first attempt that landed');
      assert.ok(fresh?.ok === true && fresh.workflow.workflow_id === 'b-2');
      assert.ok(invalid?.ok === false);
      assert.equal(invalid.status, 422);
      assert.ok(invalid.error.isValidation);
      assert.deepEqual(invalid.error.issues[0]?.loc, ['body', 'tasks']);
      assert.deepEqual(server.requests.map((r) => `${r.method} ${r.url}`), ['POST /run-graph/batch', 'POST /run-graph/batch', 'GET /status/b-1']);
      assert.deepEqual(JSON.parse(server.requests[0]?.body ?? '[]').map((r: { workflow_id: string }) => r.workflow_id), ids);
    },
  );
});

test('submitBatch: an answer with the wrong number of entries is rejected', async () => {
  await withServer(
    (_, res) => send(res, 200, [{ status: 200, workflow: pendingStatus('only-one') }]),
    async (_, client) => {
      await assert.rejects(client.submitBatch([request, request]), isError('invalid_response', (error) => assert.equal(error.path, '')));
    },
  );
});
