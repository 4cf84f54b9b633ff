import { isSystemError } from './fileErrors.js';

/** Causes that mean the device (or the user's quota on it) is full. */
const DISK_FULL = new Set(['ENOSPC', 'EDQUOT']);

/**
 * A cause for a one-line message: `EACCES: permission denied, open '/x'`
 * -> `permission denied (EACCES)`; `ENOSPC` -> `the disk is full: no space
 * left on device (ENOSPC)`. Other errors: their message.
 */
export function describeCause(error: unknown): string {
  if (isSystemError(error)) {
    const reason = /^[A-Z]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message;
    return DISK_FULL.has(error.code)
      ? `the disk is full: ${reason} (${error.code})`
      : `${reason} (${error.code})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Whether `error` says the device is full. */
export function isDiskFull(error: unknown): boolean {
  return isSystemError(error) && DISK_FULL.has(error.code);
}
