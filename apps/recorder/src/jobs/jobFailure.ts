import { isRecError } from '@rec/core';
import { MuxErrorCode } from '@rec/mux';
import { S3SegmentsErrorCode } from '@rec/s3-segments';
import { RecorderErrorCode } from '../RecorderError.js';
import { RecordingJobErrorCode } from './RecordingJobError.js';

/**
 * Failures worth another attempt later, perhaps on another worker: the
 * network, S3 answering 5xx or throttling (`S3_ERROR` after s3-segments'
 * own retries), a download or upload that could not complete, a local
 * disk that was full or failing, ffmpeg dying (killed, out of memory:
 * es-ts and the WAV reader have checked the input by then), a process that
 * died. Everything else is permanent and fails at once: bad arguments or
 * layout, nothing in the window, a sparse window, a bucket that does not
 * exist, refused credentials, corrupt input (ES_*, WAV_*, AAC_*, ...), and
 * errors that are no rec error (a bug is not fixed by retrying).
 */
const transientCodes: ReadonlySet<string> = new Set([
  S3SegmentsErrorCode.Network,
  S3SegmentsErrorCode.S3Error,
  S3SegmentsErrorCode.DownloadFailed,
  S3SegmentsErrorCode.UploadFailed,
  S3SegmentsErrorCode.LocalIo,
  S3SegmentsErrorCode.ObjectNotFound,
  RecorderErrorCode.Io,
  RecorderErrorCode.DiskFull,
  RecorderErrorCode.TempDir,
  MuxErrorCode.DiskFull,
  MuxErrorCode.FfmpegFailed,
  MuxErrorCode.FfprobeFailed,
  RecordingJobErrorCode.Crashed,
]);

/** Whether a job that failed with `code` is tried again (with backoff). */
export function isTransientFailure(code: string): boolean {
  return transientCodes.has(code);
}

/** A failure as it crosses from the recording process to the worker, and into Redis. */
export interface JobFailure {
  code: string;
  message: string;
}

/** Code `CLI_UNEXPECTED` as @rec/cli's `describeFailure` names what is no rec error. */
const UNEXPECTED = 'CLI_UNEXPECTED';

/** The code and message of whatever `record()` threw. */
export function jobFailureOf(error: unknown): JobFailure {
  if (isRecError(error)) return { code: error.code, message: error.message };
  if (error instanceof TypeError && /^Expected `/.test(error.message)) {
    return { code: RecorderErrorCode.BadArguments, message: error.message };
  }
  if (error instanceof Error && error.name === 'ZodError') {
    return { code: RecordingJobErrorCode.BadRequest, message: error.message };
  }
  return { code: UNEXPECTED, message: error instanceof Error ? error.message : String(error) };
}

/**
 * A failure as a job's `failedReason`: `<message> [<CODE>]`, the CLI's
 * error line without the app name, so that `recorder jobs` can list failed
 * jobs by code and a human reads it as is.
 */
export function failedReasonOf(failure: JobFailure): string {
  return `${failure.message} [${failure.code}]`;
}

/** The failure a `failedReason` holds (a reason BullMQ wrote itself has no code: `RECORDER_JOB_CRASHED`). */
export function parseFailedReason(reason: string | undefined): JobFailure {
  const match = /^(.*) \[([A-Z][A-Z0-9_]*)\]$/s.exec(reason ?? '');
  if (match) return { message: match[1] ?? '', code: match[2] ?? '' };
  return { code: RecordingJobErrorCode.Crashed, message: reason || 'The job failed without a reason' };
}
