import type { JsonObject, JsonValue } from './json.js';

/**
 * What went wrong. New kinds may be added in minor versions; switch with a `default`.
 *
 * - `http`: the server answered with an error status (`status`, `detail`, `issues`).
 * - `connection`: the server could not be reached, or the connection broke (after the retries).
 * - `timeout`: a request or a wait took longer than allowed.
 * - `aborted`: the caller's `AbortSignal` fired.
 * - `invalid_response`: the server's answer does not have the contract's shape (`path` says where).
 * - `invalid_request`: the request was refused before sending (e.g. a workflow without tasks).
 * - `cancelled`: the workflow was deleted (cancelled) while being waited for.
 */
export type OrchestraErrorKind =
  | 'http'
  | 'connection'
  | 'timeout'
  | 'aborted'
  | 'invalid_response'
  | 'invalid_request'
  | 'cancelled';

/** One problem of a 422 answer, in FastAPI's shape. */
export interface ValidationIssue {
  /** Path to the offending value, e.g. `["body", "tasks", 2, "depends_on"]`. */
  loc: (string | number)[];
  msg: string;
  /** The error type, e.g. `missing`, `string_type`, `value_error`. */
  type: string;
  /** The offending value, when the server sends it. */
  input?: JsonValue;
  /** Extra context of the error (e.g. limits), when the server sends it. */
  ctx?: JsonObject;
}

/** Construction parameters of an `OrchestraError`. */
export interface OrchestraErrorInit {
  kind: OrchestraErrorKind;
  message: string;
  status?: number;
  detail?: string | ValidationIssue[];
  path?: string;
  method?: string;
  url?: string;
  attempts?: number;
  cause?: unknown;
}

/** Every error the client throws. Its message never contains the API key. */
export class OrchestraError extends Error {
  /** What went wrong. */
  readonly kind: OrchestraErrorKind;
  /** The HTTP status, for `http` errors (and `cancelled`: 404). */
  readonly status: number | undefined;
  /** The body's `detail`: a sentence, or the validation issues of a 422. */
  readonly detail: string | ValidationIssue[] | undefined;
  /** For `invalid_response`: the JSON path of the offending value, e.g. `tasks[2].status`. */
  readonly path: string | undefined;
  /** The request's method and URL, when the error belongs to one. */
  readonly method: string | undefined;
  readonly url: string | undefined;
  /** How many times the request was sent (1 when it was not retried). */
  readonly attempts: number;

  constructor(init: OrchestraErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'OrchestraError';
    this.kind = init.kind;
    this.status = init.status;
    this.detail = init.detail;
    this.path = init.path;
    this.method = init.method;
    this.url = init.url;
    this.attempts = init.attempts ?? 1;
  }

  /** The validation issues of a 422 (empty otherwise). */
  get issues(): ValidationIssue[] {
    return Array.isArray(this.detail) ? this.detail : [];
  }

  /** A 404: the workflow (or pattern) does not exist. */
  get isNotFound(): boolean {
    return this.kind === 'http' && this.status === 404;
  }

  /** A 409: a workflow with this id exists. */
  get isConflict(): boolean {
    return this.kind === 'http' && this.status === 409;
  }

  /** A 422: the request was invalid; see `issues`. */
  get isValidation(): boolean {
    return this.kind === 'http' && this.status === 422;
  }

  /** A 401: the API key is missing or wrong. */
  get isUnauthorized(): boolean {
    return this.kind === 'http' && this.status === 401;
  }
}

/** Reads FastAPI's `{"detail": ...}`, keeping the issues that have the expected shape. */
export function parseDetail(body: string): string | ValidationIssue[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body === '' ? undefined : body;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return body;
  const detail: unknown = (parsed as { detail?: unknown }).detail;
  if (typeof detail === 'string') return detail;
  if (!Array.isArray(detail)) return body;
  const issues: ValidationIssue[] = [];
  for (const item of detail as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const fields = item as { [key: string]: unknown };
    const loc = Array.isArray(fields.loc)
      ? (fields.loc as unknown[]).filter((part): part is string | number => typeof part === 'string' || typeof part === 'number')
      : [];
    const issue: ValidationIssue = {
      loc,
      msg: typeof fields.msg === 'string' ? fields.msg : '',
      type: typeof fields.type === 'string' ? fields.type : '',
    };
    if ('input' in fields) issue.input = fields.input as JsonValue;
    if (typeof fields.ctx === 'object' && fields.ctx !== null && !Array.isArray(fields.ctx)) issue.ctx = fields.ctx as JsonObject;
    issues.push(issue);
  }
  return issues;
}

/** `loc.join('.'): msg (type)` for each issue. */
export function describeIssues(issues: ValidationIssue[]): string {
  return issues.map((issue) => `${issue.loc.join('.')}: ${issue.msg} (${issue.type})`).join('; ');
}
