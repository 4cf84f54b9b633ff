import { RecError } from '@rec/core';

/**
 * Codes of the job machinery itself. A failed recording keeps the code of
 * what failed it (`NOTHING_IN_WINDOW`, `NETWORK`, ...): those are not here.
 */
export const RecordingJobErrorCode = {
  /** No job of that id in the queue (never submitted, or removed once its retention age passed). */
  NotFound: 'RECORDER_JOB_NOT_FOUND',
  /** The process running the recording died (killed, out of memory) before it reported an outcome. */
  Crashed: 'RECORDER_JOB_CRASHED',
  /** A job's data or a job file's line is not a recording request. */
  BadRequest: 'RECORDER_JOB_BAD_REQUEST',
  /** Redis cannot be reached (refused, unknown host, timed out, closed). */
  RedisUnavailable: 'RECORDER_REDIS_UNAVAILABLE',
} as const;
export type RecordingJobErrorCode = (typeof RecordingJobErrorCode)[keyof typeof RecordingJobErrorCode];

/**
 * A recording job that failed, as `waitForRecording` reports it: `code` is
 * the job's own error code (the one `record()` threw in the worker, or one
 * of `RecordingJobErrorCode`), so a caller branches on it as on a direct
 * run's error, and the recorder CLI exits with the same code.
 */
export class RecordingJobError extends RecError<string> {
  override readonly name = 'RecordingJobError';
  /** The job's id (empty for an error of the queue itself: Redis unreachable). */
  readonly jobId: string;
  /** Attempts made when it failed (1 for a permanent failure). */
  readonly attemptsMade: number;

  constructor(
    code: string,
    message: string,
    options: { jobId?: string; attemptsMade?: number; cause?: unknown } = {},
  ) {
    super(code, message, { cause: options.cause });
    this.jobId = options.jobId ?? '';
    this.attemptsMade = options.attemptsMade ?? 0;
  }
}
