// Real `orchestra gateway` / `orchestra worker` processes on a private Redis, under a key prefix
// of their own, killed when the test file ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './wait.js';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const repositoryRoot = resolve(packageRoot, '..', '..');

/** The `orchestra` executable: `ORCHESTRA_BIN`, else the repository's debug build. */
export const orchestraBin = process.env.ORCHESTRA_BIN ?? resolve(repositoryRoot, '.build', 'debug', 'orchestra');

/** The client package's directory (where `package.json` is). */
export const clientPackageRoot = packageRoot;

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A TCP port on 127.0.0.1 that nothing listens on (the kernel picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Whether something accepts connections on `port`. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** A started child process and the tail of its output (for failure messages). */
export class Child {
  output = '';
  readonly exited: Promise<void>;

  constructor(readonly name: string, readonly process: ChildProcess) {
    children.add(process);
    const keep = (chunk: NodeChunk): void => {
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    process.stdout?.on('data', keep);
    process.stderr?.on('data', keep);
    // A test file ends when its tests do; its children are killed on exit (above).
    process.unref();
    process.stdout?.unref?.();
    process.stderr?.unref?.();
    this.exited = new Promise((done) => {
      process.once('exit', () => {
        children.delete(process);
        done();
      });
    });
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Sends `signal` and waits until the process has exited. */
  async stop(signal = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.process.ref(); // keeps the test alive until the exit arrives
    this.process.kill(signal);
    await this.exited;
  }
}

let sharedRedis: Promise<string> | undefined;

/** `REDIS_TEST_URL`, or a private `redis-server` on a free loopback port started once per file. */
export function redisUrl(): Promise<string> {
  sharedRedis ??= (async () => {
    const given = process.env.REDIS_TEST_URL;
    if (given !== undefined && given !== '') return given;
    const port = await freePort();
    const child = new Child(
      'redis-server',
      spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'pipe' }),
    );
    await waitUntil(`redis-server listens on ${port}`, async () => {
      if (!child.running) throw new Error(`redis-server exited: ${child.output}`);
      return isListening(port);
    });
    return `redis://127.0.0.1:${port}`;
  })();
  return sharedRedis;
}

/** A gateway's process and base URL. */
export interface Gateway {
  child: Child;
  port: number;
  url: string;
}

/** Gateways and workers sharing one Redis and one key prefix. */
export class Cluster {
  readonly keyPrefix = `ts-${randomUUID().slice(0, 8)}`;
  private readonly members: Child[] = [];

  private constructor(readonly redis: string, private readonly environment: { [name: string]: string }) {}

  /** A cluster whose processes all get `environment` on top of the defaults. */
  static async create(environment: { [name: string]: string } = {}): Promise<Cluster> {
    if (!existsSync(orchestraBin)) throw new Error(`no orchestra binary at ${orchestraBin}: build it or set ORCHESTRA_BIN`);
    return new Cluster(await redisUrl(), environment);
  }

  private env(extra: { [name: string]: string }, port?: number): { [name: string]: string | undefined } {
    const base: { [name: string]: string | undefined } = {};
    for (const [name, value] of Object.entries(process.env)) {
      // No provider keys or URLs from the caller's environment: every task uses the offline echo provider.
      if (!name.endsWith('_API_KEY') && !name.endsWith('_BASE_URL') && name !== 'API_KEY') base[name] = value;
    }
    return {
      ...base,
      REDIS_URL: this.redis,
      ORCHESTRA_KEY_PREFIX: this.keyPrefix,
      ORCHESTRATOR_HOST: '127.0.0.1',
      ORCHESTRA_EXIT_WITH_PARENT: '1',
      WORKER_METRICS_PORT: '0',
      ORCHESTRATOR_PORT: port === undefined ? undefined : String(port),
      LOG_LEVEL: process.env.TS_TEST_LOG_LEVEL ?? 'error',
      TASK_LEASE_SECONDS: '3',
      ...this.environment,
      ...extra,
    };
  }

  /** Starts a gateway (on `port`, else a free one) and waits until it serves workflows (`/ready`). */
  async startGateway(environment: { [name: string]: string } = {}, port?: number): Promise<Gateway> {
    const chosen = port ?? (await freePort());
    const child = new Child(
      'gateway',
      spawn(orchestraBin, ['gateway', '--env-file', '/nonexistent/.env'], { env: this.env(environment, chosen), stdio: 'pipe' }),
    );
    this.members.push(child);
    await waitUntil(`the gateway on ${chosen} is ready`, async () => {
      if (!child.running) throw new Error(`gateway exited: ${child.output}`);
      if (!(await isListening(chosen))) return false;
      const response = await fetch(`http://127.0.0.1:${chosen}/ready`).catch(() => undefined);
      return response?.status === 200;
    });
    return { child, port: chosen, url: `http://127.0.0.1:${chosen}` };
  }

  /** Starts a worker. */
  startWorker(environment: { [name: string]: string } = {}): Child {
    const child = new Child('worker', spawn(orchestraBin, ['worker', '--env-file', '/nonexistent/.env'], { env: this.env(environment), stdio: 'pipe' }));
    this.members.push(child);
    return child;
  }

  /** Kills every process of the cluster. */
  async stop(): Promise<void> {
    await Promise.all(this.members.map((member) => member.stop('SIGKILL')));
  }
}
