import { OrchestraError } from './errors.js';

/** The reason an internal timer aborts a request with (so it is told apart from the caller's signal). */
export class TimeoutReason {
  constructor(readonly ms: number) {}
}

/** A controller that aborts when any of `signals` does; `dispose` detaches it from them. */
export function linkedController(...signals: (AbortSignal | undefined)[]): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  const detach: (() => void)[] = [];
  for (const signal of signals) {
    if (signal === undefined) continue;
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    const listener = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', listener, { once: true });
    detach.push(() => signal.removeEventListener('abort', listener));
  }
  return { controller, dispose: () => detach.forEach((remove) => remove()) };
}

/**
 * A signal that aborts with a `TimeoutReason` after `ms`, or when `parent` aborts; `dispose`
 * clears the timer.
 */
export function withTimeout(parent: AbortSignal | undefined, ms: number): { signal: AbortSignal; dispose: () => void } {
  const { controller, dispose } = linkedController(parent);
  const timer = setTimeout(() => controller.abort(new TimeoutReason(ms)), ms);
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      dispose();
    },
  };
}

/** The `aborted` error for a caller's signal. */
export function abortedError(signal: AbortSignal, what: string): OrchestraError {
  return new OrchestraError({ kind: 'aborted', message: `${what} was aborted`, cause: signal.reason });
}

/** Throws the `aborted` error when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw abortedError(signal, what);
}

/** Resolves after `ms`, or rejects with the `aborted` error when `signal` fires first. */
export function delay(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortedError(signal, what));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      if (signal !== undefined) reject(abortedError(signal, what));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
