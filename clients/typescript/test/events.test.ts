// watch() and submitAndWait() against a loopback gateway that speaks API.md §6's event stream
// exactly (the real gateway's stream is being built): ids, event names, heartbeats, a connection
// dropped or gone silent mid-stream and resumed with Last-Event-ID, tokens before completion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrchestraError, SwarmInterface, WorkflowBuilder, WorkflowType, type WorkflowEvent, type WorkflowStatusResponse } from 'ai-orchestra';
import { FakeGateway, type FakeGatewayOptions } from './support/fake-gateway.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { waitUntil, within } from './support/wait.js';

const request = new WorkflowBuilder(WorkflowType.SEQUENTIAL)
  .addTask('writer', 'backend', { task: 'write' })
  .addTask('reviewer', 'qa', { task: 'review' })
  .build();

async function withFake<T>(options: FakeGatewayOptions, body: (fake: FakeGateway) => Promise<T>): Promise<T> {
  const fake = await new FakeGateway(options).start();
  try {
    return await body(fake);
  } finally {
    await fake.stop();
  }
}

async function collect(iterator: AsyncIterable<WorkflowEvent>): Promise<WorkflowEvent[]> {
  const events: WorkflowEvent[] = [];
  for await (const event of iterator) events.push(event);
  return events;
}

/** Every event of the script in order (unknown types left out), tokens before their task's completion. */
function assertCompleteSequence(fake: FakeGateway, workflowId: string, events: WorkflowEvent[]): void {
  const script = fake.workflow(workflowId).events.filter((event) => event.type !== 'workflow.annotated');
  assert.deepEqual(
    events.map((event) => `${event.id} ${event.type}`),
    script.map((event) => `${event.id} ${event.type}`),
    'every event exactly once, in order',
  );
  for (const event of events) {
    if (event.type !== 'task.completed') continue;
    const deltas = events
      .slice(0, events.indexOf(event))
      .filter((e): e is Extract<WorkflowEvent, { type: 'task.token' }> => e.type === 'task.token' && e.task_id === event.task_id)
      .map((e) => e.delta);
    assert.ok(deltas.length > 0, `tokens of ${event.task_id} before its completion`);
    assert.equal(deltas.join(''), event.output);
  }
  assert.equal(events.at(-1)?.type, 'workflow.completed');
}

test('watch: typed events in order, tokens before completion, heartbeats and unknown types not surfaced, the key sent', async () => {
  await withFake({ apiKey: 'k-1', unknownEvent: true, heartbeatMs: 5 }, async (fake) => {
    const client = new SwarmInterface(fake.url, 'k-1');
    const submitted = await client.submitWorkflow(request);
    const events = await within('watch ends after the terminal event', 10_000, collect(client.watch(submitted.workflow_id)));
    assertCompleteSequence(fake, submitted.workflow_id, events);
    const started = events.find((event) => event.type === 'task.started');
    assert.ok(started?.type === 'task.started');
    assert.equal(started.worker_id, 'fake-worker-1');
    assert.equal(started.attempt, 1);
    assert.equal(started.agent_id, 'writer');
    const completed = events.find((event) => event.type === 'task.completed');
    assert.ok(completed?.type === 'task.completed');
    assert.deepEqual(completed.usage, { prompt_tokens: 7, completion_tokens: 3 });
    assert.equal(fake.connections.length, 1);
    assert.equal(fake.connections[0]?.apiKey, 'k-1');
    assert.equal(fake.connections[0]?.lastEventId, undefined);
  });
});

test('watch: a connection dropped mid-stream resumes with Last-Event-ID, no gap and no duplicate', async () => {
  await withFake({ holdFirstConnectionAfter: 5 }, async (fake) => {
    const client = new SwarmInterface(fake.url);
    const submitted = await client.submitWorkflow(request);
    const iterator = client.watch(submitted.workflow_id);
    const events: WorkflowEvent[] = [];
    // Five events (the first task's first tokens among them) on the first connection, then it breaks.
    while (events.length < 5) {
      const next = await within('the first five events', 10_000, iterator.next());
      assert.ok(next.done !== true);
      events.push(next.value);
    }
    assert.equal(events[4]?.type, 'task.token');
    fake.dropHeldConnection();
    for (;;) {
      const next = await within('the rest of the events', 10_000, iterator.next());
      if (next.done === true) break;
      events.push(next.value);
    }
    assertCompleteSequence(fake, submitted.workflow_id, events);
    assert.equal(fake.connections.length, 2);
    const [first, second] = fake.connections;
    assert.deepEqual(first?.written, events.slice(0, 5).map((event) => event.id));
    assert.equal(second?.lastEventId, events[4]?.id, 'resumed after the last event received');
    assert.equal(second?.written[0], events[5]?.id);
  });
});

test('watch: a connection that goes silent (no heartbeat) is reopened after the idle timeout', async () => {
  await withFake({ silenceFirstConnectionAfter: 4, heartbeatMs: 20 }, async (fake) => {
    const client = new SwarmInterface({ baseUrl: fake.url, streamIdleTimeoutMs: 300 });
    const submitted = await client.submitWorkflow(request);
    const events = await within('watch ends', 10_000, collect(client.watch(submitted.workflow_id)));
    assertCompleteSequence(fake, submitted.workflow_id, events);
    assert.equal(fake.connections.length, 2);
    assert.equal(fake.connections[1]?.lastEventId, fake.connections[0]?.written[3]);
    assert.equal(fake.connections[0]?.closedByClient, true);
  });
});

test('watch: lastEventId resumes a stream from a given event', async () => {
  await withFake({}, async (fake) => {
    const client = new SwarmInterface(fake.url);
    const submitted = await client.submitWorkflow(request);
    const script = fake.workflow(submitted.workflow_id).events;
    const from = script[4]?.id;
    const events = await collect(client.watch(submitted.workflow_id, { lastEventId: from }));
    assert.deepEqual(events.map((event) => event.id), script.slice(5).map((event) => event.id));
    assert.equal(fake.connections[0]?.lastEventId, from);
  });
});

test('watch: aborting the signal ends the iteration with an aborted error and closes the stream', async () => {
  await withFake({ pace: 'status-read' }, async (fake) => {
    const client = new SwarmInterface(fake.url);
    const submitted = await client.submitWorkflow(request);
    const controller = new AbortController();
    const seen: WorkflowEvent[] = [];
    await within(
      'the aborted watch rejects',
      10_000,
      assert.rejects(
        (async () => {
          for await (const event of client.watch(submitted.workflow_id, { signal: controller.signal })) {
            seen.push(event);
            // Nothing more is published until a status read: the watch is now blocked on the stream.
            if (seen.length === 2) controller.abort();
          }
        })(),
        (error: unknown) => error instanceof OrchestraError && error.kind === 'aborted',
      ),
    );
    assert.equal(seen.length, 2);
    await waitUntil('the server sees the stream closed by the client', () => fake.connections[0]?.closedByClient === true, { timeoutMs: 5_000 });
  });
});

test('watch: an event whose data breaks the contract is an invalid_response error naming the field', async () => {
  await withFake({ corrupt: { type: 'task.started', data: { attempt: 'first' } } }, async (fake) => {
    const client = new SwarmInterface(fake.url);
    const submitted = await client.submitWorkflow(request);
    await assert.rejects(collect(client.watch(submitted.workflow_id)), (error: unknown) => {
      assert.ok(error instanceof OrchestraError);
      assert.equal(error.kind, 'invalid_response');
      assert.equal(error.path, 'data.attempt');
      assert.match(error.message, /data\.attempt: expected an integer >= 0, got string "first"/);
      return true;
    });
  });
});

test('watch: an unknown workflow is a 404 OrchestraError', async () => {
  await withFake({}, async (fake) => {
    const client = new SwarmInterface(fake.url);
    await assert.rejects(collect(client.watch('no-such-workflow')), (error: unknown) => error instanceof OrchestraError && error.isNotFound);
  });
});

test('submitAndWait over the stream: onProgress on every state change, once each, no polling', async () => {
  await withFake({ pace: 'status-read' }, async (fake) => {
    const client = new SwarmInterface(fake.url);
    const reported: string[] = [];
    const result = await within(
      'submitAndWait resolves',
      10_000,
      client.submitAndWait(request, 10_000, (status: WorkflowStatusResponse) => {
        reported.push(`${status.status}:${status.tasks.map((task) => task.status).join(',')}`);
      }),
    );
    assert.equal(result.status, 'completed');
    assert.equal(result.tasks[1]?.result?.output.message, 'reviewer says part 0. reviewer says part 1. reviewer says part 2. ');
    assert.deepEqual(reported, [
      'pending:pending,pending',
      'running:running,pending',
      'running:completed,pending',
      'running:completed,running',
      'running:completed,completed',
      'completed:completed,completed',
    ]);
    // One stream, at most one status read per lifecycle event (none on a timer).
    assert.equal(fake.connections.length, 1);
    const lifecycle = fake.workflow(result.workflow_id).events.filter((event) => event.type !== 'task.token');
    assert.ok(fake.statusReads <= lifecycle.length, `${fake.statusReads} status reads for ${lifecycle.length} lifecycle events`);
  });
});

test('submitAndWait without onProgress reads the status once, at the end', async () => {
  await withFake({}, async (fake) => {
    const client = new SwarmInterface(fake.url);
    const result = await client.submitAndWait(request);
    assert.equal(result.status, 'completed');
    assert.equal(fake.statusReads, 1);
  });
});

test('a gateway without the stream (404): submitAndWait and watch fall back to long polls', async () => {
  await withFake({ eventsAvailable: false }, async (fake) => {
    const client = new SwarmInterface(fake.url, undefined, 50);
    const result = await client.submitAndWait(request, { timeout: 10_000, onProgress: () => undefined });
    assert.equal(result.status, 'completed');
    const submitted = await client.submitWorkflow(request);
    const events = await collect(client.watch(submitted.workflow_id));
    assert.deepEqual(events.map((event) => event.type), [
      'workflow.submitted',
      'task.started',
      'task.completed',
      'task.started',
      'task.completed',
      'workflow.completed',
    ]);
    const completed = events[2];
    assert.ok(completed?.type === 'task.completed');
    assert.equal(completed.output, 'writer says part 0. writer says part 1. writer says part 2. ');
  });
});

test('watch through a proxy: the gateway behind it dies mid-stream, another one over the same store takes over', async () => {
  // The first gateway streams five events and then only heartbeats: it is mid-stream when it dies.
  await withFake({ holdFirstConnectionAfter: 5 }, async (firstGateway) => {
    const secondGateway = await new FakeGateway({}, firstGateway).start();
    const proxy = await new TcpProxy(Number(new URL(firstGateway.url).port)).start();
    try {
      const client = new SwarmInterface({ baseUrl: proxy.url, retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 50 } });
      const submitted = await client.submitWorkflow(request);
      const events: WorkflowEvent[] = [];
      let killed = false;
      for await (const event of client.watch(submitted.workflow_id)) {
        events.push(event);
        if (!killed && event.type === 'task.token') {
          killed = true;
          proxy.target = Number(new URL(secondGateway.url).port);
          await firstGateway.stop();
        }
      }
      assertCompleteSequence(firstGateway, submitted.workflow_id, events);
      assert.equal(secondGateway.connections.length, 1);
      // It resumed right after the last event the client had, whichever events were still in flight.
      const resumedAt = events.findIndex((event) => event.id === secondGateway.connections[0]?.written[0]);
      assert.ok(resumedAt > 3);
      assert.equal(secondGateway.connections[0]?.lastEventId, events[resumedAt - 1]?.id);
    } finally {
      await proxy.stop();
      await secondGateway.stop();
    }
  });
});
