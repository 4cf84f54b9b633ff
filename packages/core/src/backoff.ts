/**
 * Waits `ms`, or rejects with `signal.reason` as soon as the signal aborts;
 * its listener is removed either way (p-queue's convention).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface BackoffOptions {
  /** Upper bound of the first wait, in ms. */
  base: number;
  /** No wait is longer than this (ms); default 10 s. */
  cap?: number;
  /** In [0, 1): replaces `Math.random()` (tests, reproducible runs). */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter (the AWS SDK's and got's strategy):
 * retry `attempt` (0 = the first retry) waits a uniform random time below
 * min(cap, base * 2^attempt), so clients that failed together do not retry
 * together.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.cap ?? 10_000, options.base * 2 ** attempt);
  return (options.random ?? Math.random)() * ceiling;
}
