import type { ConnectionOptions, DefaultJobOptions } from 'bullmq';

/** The queue's name when none is given. */
export const DEFAULT_QUEUE = 'rec-recordings';

/** The BullMQ job name of every recording (the queue holds one kind of job). */
export const RECORDING_JOB = 'record';

/** Where the queue is: what every jobs function takes. */
export interface RecordingQueueOptions {
  /**
   * BullMQ's connection: `{ url: 'redis://host:6379' }` (plus ioredis
   * options), or an ioredis client of the caller's, which is shared and
   * never closed. Redis must not evict keys (`maxmemory-policy noeviction`).
   */
  connection: ConnectionOptions;
  /** Queue name (default `rec-recordings`). */
  queue?: string;
}

/**
 * Each job's options. A recording is idempotent (same input, same output
 * bytes, written atomically), so running it again is always safe; these
 * decide how often that is worth it:
 *
 * - `attempts: 5`, exponential backoff from 5 s (5, 10, 20, 40 s: about
 *   75 s of waiting): rides out an S3 or network outage longer than the
 *   seconds s3-segments' per-request retries cover, without holding a
 *   worker. Permanent failures skip them (UnrecoverableError).
 * - `removeOnComplete` after 7 days: a completed job is what absorbs a
 *   duplicate submission (its id is taken), so the dedup window is as long
 *   as completed jobs are kept; 7 days of ids and summaries are a few KB
 *   each. The count cap keeps Redis bounded under a flood of small jobs.
 * - `removeOnFail` after 30 days: failed jobs stay for `recorder jobs`
 *   (counts by error code) and for a human to look at; a submission of the
 *   same recording retries a failed job rather than being absorbed by it.
 */
export const recordingJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 100_000 },
} as const satisfies DefaultJobOptions;

/**
 * The worker's lock and stall settings. The recording runs in a child
 * process, so the worker's event loop only relays messages and renews
 * locks on time (measured: a job that blocked the loop longer than its lock
 * ran twice and then failed as stalled); the lock can then be short, which
 * is what decides how fast a killed worker's job runs again:
 *
 * - `lockDuration: 5 s` (renewed every 2.5 s): a job whose worker died
 *   (kill -9, a lost machine) is found stalled by the next check after its
 *   lock expired, and BullMQ moves it back on the check after that: within
 *   `lockDuration + 2 * stalledInterval`, 15 s at most (the target;
 *   measured here with dummy jobs: back in 5.7-8.7 s with 5-s locks). A
 *   Redis pause longer than a few seconds may let a live job be taken by
 *   another worker too: both write the same bytes atomically, so that costs
 *   time, never a wrong output.
 * - `stalledInterval: 5 s`: how often each worker looks for stalled jobs
 *   (one small script per worker and interval).
 * - `maxStalledCount: 3`: a job whose worker dies three times (a recording
 *   that gets its worker OOM-killed, a crash loop) fails instead of taking
 *   workers down forever; three so that a rolling restart or two does not
 *   fail a healthy job. Stalls do not count as attempts.
 */
export const recordingWorkerSettings = {
  lockDuration: 5_000,
  stalledInterval: 5_000,
  maxStalledCount: 3,
} as const;
