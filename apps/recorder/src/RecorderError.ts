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
  /**
   * The finished recording cannot be put under the output path (a directory
   * that cannot be made or written, an output bucket that does not exist).
   */
  Output: 'RECORDER_OUTPUT',
  /** A local file operation failed: permission denied, a read-only file system, a file gone. */
  Io: 'RECORDER_IO',
  /** No space left on the device (or quota) that a file was being written to. */
  DiskFull: 'RECORDER_DISK_FULL',
  /** The window's holes exceed `maxHoleFraction` (`--max-hole-fraction`). */
  SparseWindow: 'RECORDER_SPARSE_WINDOW',
} as const;
export type RecorderErrorCode = (typeof RecorderErrorCode)[keyof typeof RecorderErrorCode];

/**
 * Errors of the recorder itself (the libraries throw their own, all
 * `RecError`s). `record()` never lets a raw Node error out: a failed file
 * operation becomes `RECORDER_IO` or `RECORDER_DISK_FULL` naming the path.
 */
export class RecorderError extends RecError<RecorderErrorCode> {
  override readonly name = 'RecorderError';
  /** The local file or directory the error is about, when there is one. */
  readonly path: string | undefined;

  constructor(code: RecorderErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(code, message, options);
    this.path = options.path;
  }
}
