// The few Node.js APIs the tests use, declared by hand: there is no @types/node on the build
// machines (no npm registry). Only what the tests call, with the signatures Node 18+ has.

interface NodeChunk {
  toString(encoding?: string): string;
  readonly length: number;
}

interface NodeEmitter {
  on(event: string, listener: (...args: never[]) => void): this;
  once(event: string, listener: (...args: never[]) => void): this;
  off(event: string, listener: (...args: never[]) => void): this;
}

declare const process: {
  readonly env: { [name: string]: string | undefined };
  readonly execPath: string;
  readonly pid: number;
  readonly platform: string;
  exitCode: number | undefined;
  cwd(): string;
  on(event: 'exit', listener: () => void): void;
  kill(pid: number, signal?: string | number): boolean;
};

declare module 'node:test' {
  interface TestContext {
    skip(message?: string): void;
    diagnostic(message: string): void;
    after(fn: () => void | Promise<void>): void;
    readonly signal: AbortSignal;
  }
  interface TestOptions {
    timeout?: number;
    skip?: boolean | string;
    concurrency?: number | boolean;
  }
  type TestFn = (t: TestContext) => void | Promise<void>;
  function test(name: string, fn: TestFn): Promise<void>;
  function test(name: string, options: TestOptions, fn: TestFn): Promise<void>;
  function describe(name: string, fn: () => void | Promise<void>): Promise<void>;
  function describe(name: string, options: TestOptions, fn: () => void | Promise<void>): Promise<void>;
  function before(fn: () => void | Promise<void>, options?: { timeout?: number }): void;
  function after(fn: () => void | Promise<void>, options?: { timeout?: number }): void;
  export { test, describe, before, after, test as it, TestContext };
  export default test;
}

declare module 'node:assert/strict' {
  interface Assert {
    (value: unknown, message?: string): asserts value;
    ok(value: unknown, message?: string): asserts value;
    equal<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
    notEqual(actual: unknown, expected: unknown, message?: string): void;
    deepEqual<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
    notDeepEqual(actual: unknown, expected: unknown, message?: string): void;
    match(value: string, pattern: RegExp, message?: string): void;
    doesNotMatch(value: string, pattern: RegExp, message?: string): void;
    throws(fn: () => unknown, expected?: RegExp | ((error: unknown) => boolean) | object, message?: string): void;
    rejects(
      promise: Promise<unknown> | (() => Promise<unknown>),
      expected?: RegExp | ((error: unknown) => boolean) | object,
      message?: string,
    ): Promise<void>;
    fail(message?: string): never;
  }
  const assert: Assert;
  export default assert;
}

declare module 'node:http' {
  interface IncomingMessage extends NodeEmitter {
    readonly method?: string;
    readonly url?: string;
    readonly headers: { [name: string]: string | string[] | undefined };
    readonly socket: import('node:net').Socket;
    [Symbol.asyncIterator](): AsyncIterableIterator<NodeChunk>;
  }
  interface ServerResponse extends NodeEmitter {
    statusCode: number;
    headersSent: boolean;
    writeHead(status: number, headers?: { [name: string]: string | number }): this;
    setHeader(name: string, value: string | number): this;
    flushHeaders(): void;
    write(chunk: string): boolean;
    end(chunk?: string): this;
    destroy(error?: Error): this;
    readonly destroyed: boolean;
    readonly writableEnded: boolean;
  }
  interface Server extends NodeEmitter {
    listen(port: number, host: string, callback?: () => void): this;
    close(callback?: (error?: Error) => void): this;
    closeAllConnections(): void;
    address(): { port: number; address: string } | string | null;
  }
  function createServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Server;
}

declare module 'node:net' {
  interface Socket extends NodeEmitter {
    write(data: string | NodeChunk): boolean;
    end(): this;
    destroy(error?: Error): this;
    pipe<T>(destination: T): T;
    setNoDelay(noDelay?: boolean): this;
    readonly destroyed: boolean;
  }
  interface Server extends NodeEmitter {
    listen(port: number, host: string, callback?: () => void): this;
    close(callback?: (error?: Error) => void): this;
    address(): { port: number; address: string } | string | null;
  }
  function createServer(handler?: (socket: Socket) => void): Server;
  function connect(options: { port: number; host: string }): Socket;
}

declare module 'node:child_process' {
  interface Readable extends NodeEmitter {
    setEncoding(encoding: string): this;
    unref?(): void;
  }
  interface ChildProcess extends NodeEmitter {
    readonly pid?: number;
    readonly exitCode: number | null;
    readonly signalCode: string | null;
    readonly stdout: Readable | null;
    readonly stderr: Readable | null;
    kill(signal?: string): boolean;
    unref(): void;
    ref(): void;
  }
  interface SpawnOptions {
    cwd?: string;
    env?: { [name: string]: string | undefined };
    stdio?: 'ignore' | 'pipe' | 'inherit' | ('ignore' | 'pipe' | 'inherit')[];
  }
  function spawn(command: string, args: string[], options?: SpawnOptions): ChildProcess;
}

declare module 'node:path' {
  function join(...parts: string[]): string;
  function resolve(...parts: string[]): string;
  function dirname(path: string): string;
}

declare module 'node:url' {
  function fileURLToPath(url: string | URL): string;
}

declare module 'node:fs' {
  function existsSync(path: string): boolean;
  function readdirSync(path: string): string[];
}

declare module 'node:crypto' {
  function randomUUID(): string;
}
