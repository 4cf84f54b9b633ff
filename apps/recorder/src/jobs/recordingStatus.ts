import type { JobState } from 'bullmq';
import type { RecordSummary } from '../record.js';
import type { RecordingJobProgress } from './createRecordingWorker.js';
import { type JobFailure, parseFailedReason } from './jobFailure.js';
import type { RecordingQueueOptions } from './queueSettings.js';
import type { RecordingRequest } from './recordingRequest.js';
import { type RecordingQueue, withQueue } from './withQueue.js';

export interface RecordingStatus {
  id: string;
  state: JobState | 'unknown';
  request: RecordingRequest;
  /** The running phase's progress, once the job has reported one. */
  progress?: RecordingJobProgress;
  attemptsMade: number;
  attempts: number;
  /** When the job failed (for good, or the last attempt before a retry). */
  failure?: JobFailure;
  /** The recording's summary once completed. */
  summary?: RecordSummary;
  /** The worker that ran it last (`<host>-<pid>`). */
  worker?: string;
  /** Milliseconds since the epoch. */
  addedAt: number;
  startedAt?: number;
  finishedAt?: number;
}

type RecordingJob = NonNullable<Awaited<ReturnType<RecordingQueue['getJob']>>>;

/** A job's status as `recordingStatus` reports it. */
async function statusOf(job: RecordingJob): Promise<RecordingStatus> {
  const state = await job.getState();
  const progress = typeof job.progress === 'object' && job.progress !== null ? job.progress : undefined;
  return {
    id: job.id ?? '',
    state,
    request: job.data,
    progress: progress as RecordingJobProgress | undefined,
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    failure: job.failedReason ? parseFailedReason(job.failedReason) : undefined,
    summary: state === 'completed' ? job.returnvalue : undefined,
    worker: job.processedBy,
    addedAt: job.timestamp,
    startedAt: job.processedOn,
    finishedAt: job.finishedOn,
  };
}

/** The status of the recording job `id`, or `undefined` when the queue has no such job. */
export async function recordingStatus(
  id: string,
  options: RecordingQueueOptions,
): Promise<RecordingStatus | undefined> {
  return withQueue(options, async (queue) => {
    const job = await queue.getJob(id);
    return job ? await statusOf(job) : undefined;
  });
}
