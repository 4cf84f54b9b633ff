import { hostname } from 'node:os';
import { expectInteger } from '@rec/core';
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { RecordProgress } from '../RecordOptions.js';
import type { RecordSummary } from '../record.js';
import { failedReasonOf, isTransientFailure, type JobFailure } from './jobFailure.js';
import { DEFAULT_QUEUE, type RecordingQueueOptions, recordingWorkerSettings } from './queueSettings.js';
import { RecordingJobErrorCode } from './RecordingJobError.js';
import { createRecordingProcessPool } from './recordingProcessPool.js';
import { type RecordingRequest, recordingRequestSchema } from './recordingRequest.js';

export interface RecordingWorkerOptions extends RecordingQueueOptions {
  /** Recordings run at the same time, each in a process of its own (default 1: a recording's AAC encode uses every core). */
  concurrency?: number;
  /** Milliseconds a job's lock lasts (default 5 000; see `recordingWorkerSettings`). */
  lockDuration?: number;
  /** Milliseconds between checks for stalled jobs (default 5 000). */
  stalledInterval?: number;
  /** A job whose worker died more often than this fails (default 3). */
  maxStalledCount?: number;
}

/** What a job's `progress` holds: the running phase's progress (`percent` in [0, 1], as everywhere in rec). */
export type RecordingJobProgress = RecordProgress;

export interface RecordingWorker {
  /** BullMQ's worker, for its events (`completed`, `failed`, `active`, `error`). */
  readonly worker: Worker<RecordingRequest, RecordSummary>;
  /**
   * Stops the worker. Default (drain): take no new job, let the running
   * recordings finish, then close. `{ force: true }`: stop the running
   * recordings now and put their jobs back in the queue at once (not as
   * failures, no attempt used; their downloads stay for the next run). A
   * forced close may follow a drain that is under way.
   */
  close(options?: { force?: boolean }): Promise<void>;
}

/**
 * Runs recording jobs from the queue until closed. Each recording runs in
 * a child process (reused from job to job), so the worker's event loop
 * stays free to renew its locks; progress goes to `job.updateProgress`.
 * A failure whose code is transient (see `isTransientFailure`) is retried
 * with backoff; any other fails the job at once. Either way the job's
 * `failedReason` is `<message> [<CODE>]`.
 */
export function createRecordingWorker(options: RecordingWorkerOptions): RecordingWorker {
  const concurrency = expectInteger('concurrency', options.concurrency ?? 1, 1);
  const lockDuration = expectInteger(
    'lockDuration',
    options.lockDuration ?? recordingWorkerSettings.lockDuration,
    100,
  );
  const stalledInterval = expectInteger(
    'stalledInterval',
    options.stalledInterval ?? recordingWorkerSettings.stalledInterval,
    100,
  );
  const maxStalledCount = expectInteger(
    'maxStalledCount',
    options.maxStalledCount ?? recordingWorkerSettings.maxStalledCount,
    0,
  );
  const pool = createRecordingProcessPool();
  /** Aborted by a forced close: the running recordings stop and their jobs go back to the queue. */
  const requeue = new AbortController();

  const processJob = async (job: Job<RecordingRequest, RecordSummary>, token?: string) => {
    const parsed = recordingRequestSchema.safeParse(job.data);
    if (!parsed.success) {
      const failure = {
        code: RecordingJobErrorCode.BadRequest,
        message: `Job ${job.id}: ${parsed.error.message}`,
      };
      throw new UnrecoverableError(failedReasonOf(failure));
    }
    const outcome = await pool.run(parsed.data, {
      signal: requeue.signal,
      onProgress: (progress) => {
        job.updateProgress(progress).catch(() => {}); // progress is best effort; the outcome is not
      },
    });
    if (outcome.ok) return outcome.summary;
    if (outcome.aborted && requeue.signal.aborted) {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    throw failureError(outcome.failure);
  };

  const worker = new Worker<RecordingRequest, RecordSummary>(options.queue ?? DEFAULT_QUEUE, processJob, {
    connection: options.connection,
    concurrency,
    lockDuration,
    stalledInterval,
    maxStalledCount,
    // Jobs record which worker ran them (`processedBy`): host and pid, for a human and for bench/jobs.ts.
    name: `${hostname()}-${process.pid}`,
    autorun: true,
  });
  // An `error` event without a listener would throw: BullMQ reports lost connections and lock renewals there.
  worker.on('error', () => {});

  let closing: Promise<void> | undefined;
  return {
    worker,
    async close({ force = false } = {}) {
      if (force) requeue.abort(new Error('Forced close: the job goes back to the queue'));
      closing ??= (async () => {
        try {
          await worker.close();
        } finally {
          await pool.close();
        }
      })();
      await closing;
    },
  };
}

function failureError(failure: JobFailure): Error {
  const reason = failedReasonOf(failure);
  return isTransientFailure(failure.code) ? new Error(reason) : new UnrecoverableError(reason);
}
