/**
 * `work`, unless `signal` aborts first: then rejects with `signal.reason`
 * at once, without waiting for `work` to settle (it is left to finish on its
 * own; its rejection is swallowed).
 *
 * Why: on Node 22, a `stream.pipeline` from an SDK response body whose
 * request the SDK aborts can stay pending forever after the abort; a
 * download must not hang its caller on it.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
