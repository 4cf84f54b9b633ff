import { type JobFailure, parseFailedReason } from './jobFailure.js';
import type { RecordingQueueOptions } from './queueSettings.js';
import { withQueue } from './withQueue.js';

const states = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

export interface RecordingJobCounts {
  /** Jobs per state (`delayed`: waiting for a retry's backoff). */
  counts: Record<(typeof states)[number], number>;
  /** Failed jobs per error code. */
  failedByCode: Record<string, number>;
  /** The most recently failed jobs, newest first (up to `failedLimit`). */
  failed: (JobFailure & { id: string; attemptsMade: number; output: string; finishedAt?: number })[];
}

/** Counts of the queue's jobs per state, and its failed jobs with their error codes. */
export async function recordingJobCounts(
  options: RecordingQueueOptions & { failedLimit?: number },
): Promise<RecordingJobCounts> {
  return withQueue(options, async (queue) => {
    const counts = (await queue.getJobCounts(...states)) as RecordingJobCounts['counts'];
    const failedByCode: Record<string, number> = {};
    const failed: RecordingJobCounts['failed'] = [];
    const limit = options.failedLimit ?? 100;
    // Pages of failed jobs, newest first: every code is counted, the first `limit` listed.
    for (let start = 0; start < counts.failed; start += 500) {
      for (const job of await queue.getFailed(start, start + 499)) {
        const failure = parseFailedReason(job.failedReason);
        failedByCode[failure.code] = (failedByCode[failure.code] ?? 0) + 1;
        if (failed.length < limit) {
          failed.push({
            id: job.id ?? '',
            ...failure,
            attemptsMade: job.attemptsMade,
            output: job.data.output,
            finishedAt: job.finishedOn,
          });
        }
      }
    }
    return { counts, failedByCode, failed };
  });
}
