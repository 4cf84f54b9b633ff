import { RecorderError, type RecorderErrorCode } from './RecorderError.js';

/**
 * Recorder error codes not yet in `RecorderErrorCode` (RecorderError.ts is
 * another owner's file): to be folded into that table, exit code 1.
 */
export const PendingRecorderErrorCode = {
  /** The temp dir (or the job's directory in it) cannot be created, locked or written. */
  TempDir: 'RECORDER_TEMP_DIR',
  /** The finished recording cannot be put under the output path. */
  Output: 'RECORDER_OUTPUT',
} as const;
export type PendingRecorderErrorCode =
  (typeof PendingRecorderErrorCode)[keyof typeof PendingRecorderErrorCode];

/** A `RecorderError` with one of the pending codes (exit code 1 until they are in the table). */
export function recorderFailure(
  code: PendingRecorderErrorCode,
  message: string,
  options: { cause?: unknown } = {},
): RecorderError {
  return new RecorderError(code as unknown as RecorderErrorCode, message, options);
}

/** `EACCES: permission denied` -> `permission denied (EACCES)`, for one-line messages. */
export function describeCause(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    const message = error instanceof Error ? error.message : '';
    const reason = /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
    return `${reason} (${error.code})`;
  }
  return error instanceof Error ? error.message : String(error);
}
