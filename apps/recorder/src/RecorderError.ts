import { RecError } from '@rec/core';

/**
 * Exit codes of the recorder CLI: those of every rec CLI (0, 1, 2, 130 on
 * SIGINT, 143 on SIGTERM) and 3 when the window holds no segment.
 */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  BadArguments: 2,
  NothingInWindow: 3,
  Sigint: 130,
  Sigterm: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const RecorderErrorCode = {
  /** The command line or the options do not make a recording (no output, no source, end before start). */
  BadArguments: 'BAD_ARGUMENTS',
  /** The legacy config file cannot be read, is not JSON, or lacks a field. */
  BadConfig: 'BAD_CONFIG',
  /** The source holds no segment of the window. */
  NothingInWindow: 'NOTHING_IN_WINDOW',
  /** The temp dir (or the job's directory in it) cannot be created, locked or written. */
  TempDir: 'RECORDER_TEMP_DIR',
  /** The finished recording cannot be put under the output path. */
  Output: 'RECORDER_OUTPUT',
} as const;
export type RecorderErrorCode = (typeof RecorderErrorCode)[keyof typeof RecorderErrorCode];

/** Errors of the recorder itself (the libraries throw their own). */
export class RecorderError extends RecError<RecorderErrorCode> {
  override readonly name = 'RecorderError';
}
