import type { RecordSummary } from '../record.js';
import type { RecordingJobProgress } from './createRecordingWorker.js';
import { parseFailedReason } from './jobFailure.js';
import type { RecordingQueueOptions } from './queueSettings.js';
import { type QueueWatch, watchQueue } from './queueWatch.js';
import { RecordingJobError, RecordingJobErrorCode } from './RecordingJobError.js';
import { asQueueError } from './withQueue.js';

export interface WaitForRecordingOptions extends RecordingQueueOptions {
  /** Stops waiting (the job runs on); rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** The job's progress as its worker reports it. */
  onProgress?: (progress: RecordingJobProgress) => void;
}

/** Events can be missed (a reconnect, a trimmed event stream): the job's state is read this often too. */
const POLL_MS = 5_000;

/**
 * Waits for the recording job `id` to end: resolves with its summary, or
 * rejects with a `RecordingJobError` whose `code` is the job's own error
 * code (`NOTHING_IN_WINDOW`, `NETWORK`, ...; `RECORDER_JOB_NOT_FOUND` when
 * the queue has no such job). A job that is being retried is still being
 * waited for.
 */
export async function waitForRecording(id: string, options: WaitForRecordingOptions): Promise<RecordSummary> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  let watch: QueueWatch | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  let unlisten: (() => void) | undefined;
  try {
    // Listening before the first look: an end between the two is not missed.
    watch = await watchQueue(options);
    const { queue, name } = watch;
    return await new Promise<RecordSummary>((resolve, reject) => {
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        action();
      };
      const check = async () => {
        // The state first, then the job: a job read while active and found completed a moment
        // later has no return value in that read (seen as a null summary under load).
        const state = await queue.getJobState(id);
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return;
        const job = await queue.getJob(id);
        if (!job) {
          return settle(() =>
            reject(
              new RecordingJobError(
                RecordingJobErrorCode.NotFound,
                `No recording job ${id} in queue ${name}`,
                {
                  jobId: id,
                },
              ),
            ),
          );
        }
        if (state === 'completed') settle(() => resolve(job.returnvalue));
        else if (state === 'failed') {
          const failure = parseFailedReason(job.failedReason);
          settle(() =>
            reject(
              new RecordingJobError(failure.code, failure.message, {
                jobId: id,
                attemptsMade: job.attemptsMade,
              }),
            ),
          );
        }
      };
      const recheck = () => {
        check().catch((error) => settle(() => reject(error)));
      };
      unlisten = watch?.listen(id, { ended: recheck, progress: (progress) => onProgress?.(progress) });
      onAbort = () => settle(() => reject(signal?.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
      timer = setInterval(recheck, POLL_MS);
      recheck();
    });
  } catch (error) {
    throw asQueueError(error);
  } finally {
    clearInterval(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    unlisten?.();
    await watch?.release();
  }
}
