import { isRecError, type RecError } from '@rec/core';
import { MuxErrorCode } from '@rec/mux';
import { describeCause, isDiskFull } from './describeCause.js';
import { fileError, isSystemError } from './fileErrors.js';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';

export interface FailureContext {
  /** What `record()` was doing, with where (`download the segments into /tmp/rec-recorder-x/segments`). */
  action: string;
  /** Display names of local files: a download's path -> its S3 key. */
  names: ReadonlyMap<string, string>;
  signal?: AbortSignal;
}

/**
 * What `record()` throws for whatever stopped it, so that a caller only
 * ever sees `RecError`s (plus option `TypeError`s and the abort reason,
 * as every rec library):
 *
 * - a raw Node error (`ENOENT`, `EACCES`, `EROFS`...) becomes `RECORDER_IO`
 *   naming what was being done and where; `ENOSPC` becomes `RECORDER_DISK_FULL`;
 * - a library's error whose cause is a full disk, or mux's `MUX_DISK_FULL`
 *   (ffmpeg or mux's own write found the device full), becomes
 *   `RECORDER_DISK_FULL` saying so, the library's error as its cause;
 * - a library's error keeps its class and code, with the temp paths of
 *   downloads replaced by their S3 keys, and the reason of a file error it
 *   wraps added when its message leaves it out.
 */
export function asRecorderFailure(error: unknown, context: FailureContext): unknown {
  const { signal } = context;
  if (signal?.aborted && error === signal.reason) return error;
  if (error instanceof RecorderError && error.code === RecorderErrorCode.DiskFull) return error;
  if (isRecError(error)) {
    nameFiles(error, context.names);
    const cause = systemCause(error);
    if (isDiskFull(cause) || error.code === MuxErrorCode.DiskFull) {
      return new RecorderError(
        RecorderErrorCode.DiskFull,
        `Cannot ${context.action}: the disk is full (${error.code}: ${error.message})`,
        { path: isSystemError(cause) ? cause.path : undefined, cause: error },
      );
    }
    if (
      cause !== undefined &&
      !error.message.includes(`(${cause.code})`) &&
      !error.message.includes(`${cause.code}:`)
    ) {
      error.message = `${error.message}: ${describeCause(cause)}`;
    }
    return error;
  }
  if (isSystemError(error)) return fileError(context.action, error);
  return error;
}

/** The Node error a rec error wraps, a few causes deep. */
function systemCause(error: Error) {
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 4 && cause !== undefined; depth++) {
    if (isSystemError(cause)) return cause;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return undefined;
}

/**
 * Puts the S3 key where a library's message names a download's local path
 * (a WAV or AAC segment the mux rejects): the key is what the user knows.
 * The libraries name only the file they were given; the recorder knows
 * which key each file holds.
 */
function nameFiles(error: RecError, names: ReadonlyMap<string, string>): void {
  let message = error.message;
  for (const [path, name] of names) if (message.includes(path)) message = message.replaceAll(path, name);
  if (message !== error.message) error.message = message;
}
