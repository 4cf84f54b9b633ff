/** Throws `signal.reason` when the signal is aborted (p-queue's convention). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}
