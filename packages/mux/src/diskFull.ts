import { MuxError, MuxErrorCode } from './MuxError.js';

/** errno codes of a full device, and of a full quota on it. */
const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

/** What ffmpeg prints for them (libc's strerror text), whichever line it comes in. */
export const DISK_FULL_TEXT = /No space left on device|Disk quota exceeded/;

/**
 * A failed write of our own as `MUX_DISK_FULL` when the device (or quota)
 * is full: the Node error is its `cause`, `file` what was being written.
 * Any other error is returned as it is.
 */
export function asDiskFull(error: unknown, file: string): unknown {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !DISK_FULL_CODES.has(code)) return error;
  const reason = code === 'ENOSPC' ? 'no space left on device' : 'disk quota exceeded';
  return new MuxError(MuxErrorCode.DiskFull, `cannot write ${file}: ${reason} (${code})`, {
    file,
    cause: error,
  });
}
