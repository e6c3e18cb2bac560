import { TimeoutReason, abortedError, delay, throwIfAborted, withTimeout } from './abort.js';
import { OrchestraError, describeIssues, parseDetail } from './errors.js';
import { ValidationFailure, type Check } from './validate.js';

/** How failed requests are retried: capped exponential backoff with full jitter. */
export interface RetryOptions {
  /** Attempts in all, the first included (1 = no retries). Default 4. */
  maxAttempts?: number;
  /** The first backoff's upper bound, in ms. Default 250. */
  baseDelayMs?: number;
  /** The largest backoff (and the largest `Retry-After` honoured), in ms. Default 5000. */
  maxDelayMs?: number;
}

/** The settings a `Transport` works with. */
export interface TransportSettings {
  baseUrl: string;
  apiKey: string | undefined;
  fetch: typeof fetch;
  requestTimeoutMs: number;
  retry: Required<RetryOptions>;
}

/** The HTTP methods the API uses. */
export type Method = 'GET' | 'POST' | 'DELETE';

/** One API call. */
export interface RequestSpec<T> {
  method: Method;
  /** Path with its segments already encoded. */
  path: string;
  query?: { [name: string]: string | number | undefined };
  body?: unknown;
  check: Check<T>;
  /** Whether the call may be repeated: retried on 502/503/504, timeouts and connection errors. */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  /** Overrides the settings' per-request timeout (long polls need more). */
  timeoutMs?: number;
  /** A 409 on a retried attempt means an earlier attempt landed: this produces the answer instead. */
  onRetriedConflict?: () => Promise<T>;
}

/** A checked answer and its headers. */
export interface Reply<T> {
  value: T;
  status: number;
  headers: Headers;
  /** How many times the request was sent. */
  attempts: number;
}

const retryableStatuses = new Set([502, 503, 504]);

/** Sends requests: headers, timeouts, retries, error mapping and response validation. */
export class Transport {
  constructor(readonly settings: TransportSettings) {}

  /** The absolute URL of `path` with `query` (undefined values left out). */
  url(path: string, query?: { [name: string]: string | number | undefined }): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.append(name, String(value));
    }
    const search = params.toString();
    return `${this.settings.baseUrl}${path}${search === '' ? '' : `?${search}`}`;
  }

  /** The request headers: JSON, the API key when configured, and `extra`. */
  headers(extra: { [name: string]: string } = {}): { [name: string]: string } {
    const headers: { [name: string]: string } = { 'Content-Type': 'application/json', Accept: 'application/json', ...extra };
    if (this.settings.apiKey !== undefined && this.settings.apiKey !== '') headers['X-API-Key'] = this.settings.apiKey;
    return headers;
  }

  /** The wait before retry number `attempt` (1-based), or the server's `Retry-After` within the cap. */
  backoff(attempt: number, retryAfter?: string | null): number {
    const { baseDelayMs, maxDelayMs } = this.settings.retry;
    const seconds = retryAfter === null || retryAfter === undefined ? NaN : Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, maxDelayMs);
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.random() * ceiling;
  }

  /** Sends `spec`, retrying what may be retried, and returns its checked answer. */
  async request<T>(spec: RequestSpec<T>): Promise<Reply<T>> {
    const url = this.url(spec.path, spec.query);
    const what = `${spec.method} ${spec.path}`;
    const maxAttempts = spec.idempotent ? Math.max(1, this.settings.retry.maxAttempts) : 1;
    const timeoutMs = spec.timeoutMs ?? this.settings.requestTimeoutMs;
    const init: RequestInit = { method: spec.method, headers: this.headers() };
    if (spec.body !== undefined) init.body = JSON.stringify(spec.body);

    for (let attempt = 1; ; attempt += 1) {
      throwIfAborted(spec.signal, what);
      const { signal, dispose } = withTimeout(spec.signal, timeoutMs);
      let response: Response;
      let text: string;
      try {
        response = await this.settings.fetch(url, { ...init, signal });
        text = await response.text();
      } catch (error) {
        if (spec.signal?.aborted === true) throw abortedError(spec.signal, what);
        const failure = this.transportFailure(error, signal, spec.method, url, attempt);
        if (attempt < maxAttempts) {
          await delay(this.backoff(attempt), spec.signal, what);
          continue;
        }
        throw failure;
      } finally {
        dispose();
      }

      if (retryableStatuses.has(response.status) && attempt < maxAttempts) {
        await delay(this.backoff(attempt, response.headers.get('Retry-After')), spec.signal, what);
        continue;
      }
      if (response.status === 409 && attempt > 1 && spec.onRetriedConflict !== undefined) {
        const value = await spec.onRetriedConflict();
        return { value, status: 200, headers: response.headers, attempts: attempt };
      }
      if (!response.ok) throw httpError(spec.method, url, response.status, text, attempt);
      return {
        value: parseBody(spec.method, spec.path, url, text, spec.check),
        status: response.status,
        headers: response.headers,
        attempts: attempt,
      };
    }
  }

  /** The `connection` or `timeout` error for a fetch that threw. */
  transportFailure(error: unknown, signal: AbortSignal, method: string, url: string, attempts: number): OrchestraError {
    if (signal.aborted && signal.reason instanceof TimeoutReason) {
      return new OrchestraError({
        kind: 'timeout',
        message: `${method} ${url} timed out after ${signal.reason.ms} ms${attemptsText(attempts)}`,
        method,
        url,
        attempts,
        cause: error,
      });
    }
    return new OrchestraError({
      kind: 'connection',
      message: `${method} ${url} failed: ${connectionReason(error)}${attemptsText(attempts)}`,
      method,
      url,
      attempts,
      cause: error,
    });
  }
}

function attemptsText(attempts: number): string {
  return attempts > 1 ? ` (${attempts} attempts)` : '';
}

/** `ECONNREFUSED`, `socket hang up`, … from what fetch threw. */
function connectionReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const fields = current as { code?: unknown; cause?: unknown; message?: unknown };
    if (typeof fields.code === 'string') return fields.code;
    if (fields.cause === undefined) return typeof fields.message === 'string' ? fields.message : 'connection error';
    current = fields.cause;
  }
  return 'connection error';
}

/** The `http` error for a non-2xx answer; its message is the seed bridge's. */
export function httpError(method: string, url: string, status: number, body: string, attempts = 1): OrchestraError {
  const detail = parseDetail(body);
  const shownBody = body.length > 2000 ? `${body.slice(0, 2000)}…` : body;
  const message =
    Array.isArray(detail) && detail.length > 0
      ? `Orchestration service request failed: ${status} ${describeIssues(detail)}`
      : `Orchestration service request failed: ${status} ${shownBody}`;
  return new OrchestraError({ kind: 'http', message, status, detail, method, url, attempts });
}

/** Parses and checks a JSON body; a wrong shape is an `invalid_response` error naming the path. */
export function parseBody<T>(method: string, path: string, url: string, text: string, check: Check<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new OrchestraError({
      kind: 'invalid_response',
      message: `Invalid response from ${method} ${path}: not JSON`,
      method,
      url,
      cause: error,
    });
  }
  try {
    return check(json, '');
  } catch (error) {
    if (!(error instanceof ValidationFailure)) throw error;
    throw new OrchestraError({
      kind: 'invalid_response',
      message: `Invalid response from ${method} ${path}: ${error.message}`,
      path: error.path,
      method,
      url,
      cause: error,
    });
  }
}
