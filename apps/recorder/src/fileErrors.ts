import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeCause, isDiskFull } from './describeCause.js';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';

/** A Node system error: `{ code: 'ENOENT', syscall: 'open', path: '/x' }` (fs, child_process, net). */
export interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

export function isSystemError(error: unknown): error is SystemError {
  const code: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

/**
 * A failed file operation as a `RecorderError`: `RECORDER_DISK_FULL` when
 * the device is full, else `code` (default `RECORDER_IO`). `action` names
 * what was being done and where (`write the recording /out/x.mp4`).
 */
export function fileError(
  action: string,
  cause: unknown,
  options: { code?: RecorderErrorCode; path?: string } = {},
): RecorderError {
  const code = isDiskFull(cause) ? RecorderErrorCode.DiskFull : (options.code ?? RecorderErrorCode.Io);
  const path = options.path ?? (isSystemError(cause) ? cause.path : undefined);
  return new RecorderError(code, `Cannot ${action}: ${describeCause(cause)}`, { path, cause });
}

/**
 * `mkdir -p` whose failure says why. Node's recursive mkdir reports
 * `ENOENT` when a parent cannot be made (seen on a read-only mount: `ENOENT:
 * no such file or directory, mkdir '/ro/a'` where the kernel said EROFS), so
 * on failure the first missing directory is made alone, which fails with
 * the real cause (`EROFS`, `EACCES`, `ENOTDIR`, `ENOSPC`); that one is thrown.
 */
export async function makeDirectory(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    const missing = await firstMissing(path);
    if (missing === undefined) throw error;
    await mkdir(missing); // throws the real cause
    await mkdir(path, { recursive: true }); // it could be made after all: try the rest again
  }
}

/** The outermost directory of `path` that does not exist (undefined if all do, or a parent is no directory). */
async function firstMissing(path: string): Promise<string | undefined> {
  let missing: string | undefined;
  for (let at = path; ; at = dirname(at)) {
    const exists = await stat(at).then(
      () => true,
      (error: unknown) => (isSystemError(error) && error.code === 'ENOENT' ? false : undefined),
    );
    if (exists === undefined) return undefined;
    if (exists) return missing;
    missing = at;
    if (dirname(at) === at) return missing;
  }
}
