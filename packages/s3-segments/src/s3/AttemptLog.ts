import type { S3Operation, S3Stats } from '../types/S3Stats.js';
import { type AttemptFailure, describeFailure } from './describeFailure.js';

/**
 * What the attempts of one operation (a listing page, one object's download
 * with all its retries) met. Every HTTP attempt starts with `begin()`, so
 * an attempt that follows a failure counts that failure as a retry in
 * `stats.retries`, whichever layer retried (the SDK or the download loop).
 */
export class AttemptLog {
  readonly #stats: S3Stats | undefined;
  readonly #failures: AttemptFailure[] = [];
  #pending: AttemptFailure | undefined;
  #requests = 0;
  /** `protocol//host:port` of the last request: where we were talking to, never credentials. */
  endpoint: string | undefined;

  constructor(stats: S3Stats | undefined) {
    this.#stats = stats;
  }

  /** HTTP attempts so far. */
  get requests(): number {
    return this.#requests;
  }

  get failures(): readonly AttemptFailure[] {
    return this.#failures;
  }

  /** An HTTP attempt of `operation` starts. */
  begin(operation: S3Operation, endpoint: string | undefined): void {
    this.#requests++;
    if (endpoint !== undefined) this.endpoint = endpoint;
    const stats = this.#stats;
    if (stats === undefined) return;
    stats.requests.total++;
    stats.requests[operation]++;
    if (this.#pending?.cause !== undefined) {
      stats.retries.total++;
      stats.retries[this.#pending.cause]++;
    }
    this.#pending = undefined;
  }

  /** An attempt failed (its error is classified, not kept). */
  fail(error: unknown): AttemptFailure {
    const failure = describeFailure(error);
    this.#failures.push(failure);
    this.#pending = failure;
    return failure;
  }

  /** `503 SlowDown x2, connection reset x1, truncated body x1`, in the order first met. */
  summary(): string {
    const counts = new Map<string, number>();
    for (const { label } of this.#failures) counts.set(label, (counts.get(label) ?? 0) + 1);
    return [...counts].map(([label, count]) => `${label} x${count}`).join(', ');
  }
}
