// A fetch that records the URLs it is asked for and lets a test wait for one.

/** `fetch` plus the URLs requested so far and a way to wait for a matching one. */
export interface RecordingFetch {
  fetch: typeof fetch;
  urls: string[];
  /** Resolves when a request whose URL matches `pattern` has been sent (or already was). */
  sent(pattern: RegExp): Promise<void>;
}

export function recordingFetch(): RecordingFetch {
  const urls: string[] = [];
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const fetchFunction: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    urls.push(url);
    const result = globalThis.fetch(input, init);
    for (const waiter of waiters.filter((w) => w.pattern.test(url))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    return result;
  };
  return {
    fetch: fetchFunction,
    urls,
    sent: (pattern) =>
      urls.some((url) => pattern.test(url)) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pattern, resolve })),
  };
}
