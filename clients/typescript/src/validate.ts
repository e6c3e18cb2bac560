// Hand-written response validators, as strict as the seed's zod schemas: a missing field, a wrong
// type or an unknown enum value fails with the JSON path of the value (`tasks[2].status`). Unknown
// extra fields are kept: the server adds optional fields (API.md §5).

/** A response value that does not have the shape the contract promises. */
export class ValidationFailure extends Error {
  /** Where in the JSON document, e.g. `tasks[2].status` (empty for the document itself). */
  readonly path: string;
  /** What the contract requires there. */
  readonly expected: string;
  /** What was there instead. */
  readonly received: string;

  constructor(path: string, expected: string, received: string) {
    super(`${path === '' ? '(root)' : path}: expected ${expected}, got ${received}`);
    this.name = 'ValidationFailure';
    this.path = path;
    this.expected = expected;
    this.received = received;
  }
}

/** Checks `value` found at `path` and returns it typed, or throws a `ValidationFailure`. */
export type Check<T> = (value: unknown, path: string) => T;

/** A plain JSON object's fields. */
export type Fields = { readonly [key: string]: unknown };

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `path.key`, or `path["odd key"]` for a key that is not an identifier. */
export function keyPath(path: string, key: string): string {
  if (!identifier.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** `path[index]`. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** A short, safe description of a value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      return `string ${JSON.stringify(shown)}`;
    }
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function fail(path: string, expected: string, value: unknown): never {
  throw new ValidationFailure(path, expected, describeValue(value));
}

export const string: Check<string> = (value, path) => (typeof value === 'string' ? value : fail(path, 'a string', value));

export const boolean: Check<boolean> = (value, path) =>
  typeof value === 'boolean' ? value : fail(path, 'a boolean', value);

export const number: Check<number> = (value, path) =>
  typeof value === 'number' && Number.isFinite(value) ? value : fail(path, 'a number', value);

/** A whole number ≥ 0 (counts, attempts, token numbers). */
export const count: Check<number> = (value, path) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fail(path, 'an integer >= 0', value);

/** A JSON object (not an array, not null). */
export const object: Check<Fields> = (value, path) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : fail(path, 'an object', value);

/** `check`, or `null`. */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, path) => (value === null ? null : check(value, path));
}

/** An array whose every element passes `check`. */
export function arrayOf<T>(check: Check<T>): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return fail(path, 'an array', value);
    return value.map((element: unknown, index) => check(element, indexPath(path, index)));
  };
}

/** One of `values` exactly. */
export function oneOf<T extends string>(values: readonly T[]): Check<T> {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return (value, path) => (values.includes(value as T) ? (value as T) : fail(path, expected, value));
}

/** The string `literal` exactly. */
export function literal<T extends string>(literalValue: T): Check<T> {
  return (value, path) => (value === literalValue ? literalValue : fail(path, JSON.stringify(literalValue), value));
}

/** A field that must be present (`null` counts as present; the check decides whether it may be null). */
export function required<T>(fields: Fields, key: string, path: string, check: Check<T>): T {
  const at = keyPath(path, key);
  if (!Object.prototype.hasOwnProperty.call(fields, key)) {
    throw new ValidationFailure(at, 'a required field', 'nothing (missing)');
  }
  return check(fields[key], at);
}

/** A field the server may leave out (or send as null); checked when present. */
export function optional<T>(fields: Fields, key: string, path: string, check: Check<T>): T | undefined {
  const value = fields[key];
  if (value === undefined || value === null || !Object.prototype.hasOwnProperty.call(fields, key)) return undefined;
  return check(value, keyPath(path, key));
}

/** Runs `check` on a whole document and returns its value. */
export function validate<T>(check: Check<T>, value: unknown): T {
  return check(value, '');
}
