// Real `orchestra gateway` / `orchestra worker` processes on a real redis-server, each cluster
// under a key prefix of its own; every process is killed when the test process exits.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const orchestraBin = process.env.ORCHESTRA_BIN ?? resolve(repositoryRoot, '.build', 'debug', 'orchestra');

const children = new Set();
process.on('exit', () => { for (const child of children) child.kill('SIGKILL'); });
// A signal ends the test process through 'exit', so its children go with it.
for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) process.once(signal, () => process.exit(status));

/** Polls `check` every 50 ms until it is truthy; fails naming `description` after `timeout` ms. */
export async function waitUntil(description, check, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error.message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${description} (last: ${JSON.stringify(last)})`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

export async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

function isListening(port) {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); done(true); });
    socket.once('error', () => done(false));
  });
}

export class Child {
  output = '';

  constructor(name, process) {
    this.name = name;
    this.process = process;
    children.add(process);
    const keep = (chunk) => { this.output = (this.output + chunk.toString()).slice(-4000); };
    process.stdout?.on('data', keep);
    process.stderr?.on('data', keep);
    // The test file ends when its tests do; what is still running is killed on exit (above).
    process.unref();
    process.stdout?.unref?.();
    process.stderr?.unref?.();
    this.exited = new Promise((done) => process.once('exit', () => { children.delete(process); done(); }));
  }

  get running() {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async stop(signal = 'SIGKILL') {
    if (!this.running) return;
    this.process.ref(); // keeps the test alive until the exit arrives
    this.process.kill(signal);
    await this.exited;
  }
}

let sharedRedis;
/** REDIS_TEST_URL, or a private redis-server on a free loopback port, started once. */
export function redisUrl() {
  sharedRedis ??= (async () => {
    if (process.env.REDIS_TEST_URL) return process.env.REDIS_TEST_URL;
    const port = await freePort();
    const child = new Child('redis-server', spawn('redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'pipe' }));
    await waitUntil(`redis-server on ${port}`, async () => {
      if (!child.running) throw new Error(`redis-server exited: ${child.output}`);
      return isListening(port);
    });
    return `redis://127.0.0.1:${port}`;
  })();
  return sharedRedis;
}

export class Cluster {
  keyPrefix = `dash-${randomUUID().slice(0, 8)}`;
  members = [];

  constructor(redis, environment) {
    this.redis = redis;
    this.environment = environment;
  }

  static async create(environment = {}) {
    if (!existsSync(orchestraBin)) throw new Error(`no orchestra binary at ${orchestraBin}: build it or set ORCHESTRA_BIN`);
    return new Cluster(await redisUrl(), environment);
  }

  env(extra, port) {
    const base = {};
    for (const [name, value] of Object.entries(process.env)) {
      // No provider keys from the caller's environment: every task uses the offline echo provider.
      if (!name.endsWith('_API_KEY') && !name.endsWith('_BASE_URL') && name !== 'API_KEY') base[name] = value;
    }
    const environment = {
      ...base, REDIS_URL: this.redis, ORCHESTRA_KEY_PREFIX: this.keyPrefix, ORCHESTRATOR_HOST: '127.0.0.1',
      ORCHESTRA_EXIT_WITH_PARENT: '1', LOG_LEVEL: process.env.DASHBOARD_TEST_LOG_LEVEL ?? 'error', TASK_LEASE_SECONDS: '3',
      ...this.environment, ...extra,
    };
    if (port !== undefined) environment.ORCHESTRATOR_PORT = String(port);
    return environment;
  }

  /** Starts a gateway and waits until it serves workflows; `{child, port, url}`. */
  async startGateway(environment = {}) {
    const port = await freePort();
    const child = new Child('gateway', spawn(orchestraBin, ['gateway', '--env-file', '/nonexistent/.env'],
      { env: this.env(environment, port), stdio: 'pipe' }));
    this.members.push(child);
    await waitUntil(`the gateway on ${port} is ready`, async () => {
      if (!child.running) throw new Error(`gateway exited: ${child.output}`);
      if (!(await isListening(port))) return false;
      const response = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
      return response?.status === 200;
    });
    return { child, port, url: `http://127.0.0.1:${port}` };
  }

  startWorker(environment = {}) {
    const child = new Child('worker', spawn(orchestraBin, ['worker', '--env-file', '/nonexistent/.env'],
      { env: this.env(environment), stdio: 'pipe' }));
    this.members.push(child);
    return child;
  }

  async stop() {
    await Promise.all(this.members.map((member) => member.stop('SIGKILL')));
  }
}

/** A JSON API client for one gateway. */
export function client(base, key) {
  return async function call(path, { method = 'GET', body } = {}) {
    const headers = { Accept: 'application/json' };
    if (key) headers['X-API-Key'] = key;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: response.status, headers: response.headers, json, text };
  };
}
