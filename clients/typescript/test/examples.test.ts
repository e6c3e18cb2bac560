// The seed document's TypeScript examples, compiled unchanged against this package (they import
// 'ai-orchestra') and run as programs against a real cluster. They hard-code
// http://localhost:8000, so the gateway listens on port 8000.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Child, Cluster, isListening } from './support/cluster.js';
import { within } from './support/wait.js';

const examples = join(dirname(fileURLToPath(import.meta.url)), 'examples');
let cluster: Cluster | undefined;
let busy = false;

before(async () => {
  busy = await isListening(8000);
  if (busy) return;
  cluster = await Cluster.create({ ECHO_LATENCY_MS: '20' });
  await cluster.startGateway({}, 8000);
  cluster.startWorker();
});

after(async () => {
  await cluster?.stop();
});

async function run(name: string): Promise<{ code: number | null; output: string }> {
  const child = new Child(name, spawn(process.execPath, [join(examples, `${name}.js`)], { stdio: 'pipe' }));
  child.process.ref();
  await within(`example ${name} exits`, 60_000, child.exited);
  return { code: child.process.exitCode, output: child.output };
}

for (const [name, expected] of [
  ['basic-example', /^completed\n$/],
  ['prebuilt-patterns', /^$/],
  ['monitoring-progress', /Status: pending\n {2}backend: pending\n {2}qa: pending\n[\s\S]*Status: completed\n {2}backend: completed\n {2}qa: completed\n$/],
] as const) {
  test(`the seed's example ${name} runs unchanged`, { timeout: 90_000 }, async () => {
    assert.ok(!busy, 'port 8000 is in use: the seed examples hard-code http://localhost:8000, so the test needs it free');
    const { code, output } = await run(name);
    assert.equal(code, 0, output);
    assert.match(output, expected);
  });
}
