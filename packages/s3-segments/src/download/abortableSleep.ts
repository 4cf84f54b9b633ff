/** Waits `ms`, or rejects with `signal.reason` as soon as the signal aborts (its listener removed either way). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
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

/** Exponential backoff with full jitter: attempt 0 waits up to `base`, then 2x, 4x... capped at 10 s. */
export function backoffDelay(attempt: number, base: number): number {
  return Math.random() * Math.min(10_000, base * 2 ** attempt);
}
