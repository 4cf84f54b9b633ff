import { randomBytes } from 'node:crypto';
import { link, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/** Who holds a lock: enough to tell, on this host, whether it is still alive. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  /** Tells two locks of one process apart (two `record()` calls, or a pid reused). */
  nonce: string;
}

export interface JobLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Removes the lock file if it is still this one; never throws. */
  release(): Promise<void>;
}

/**
 * An unreadable lock younger than this is taken as being written (the
 * `open('wx')` fallback writes after it creates); older, as left by a crash.
 */
const UNREADABLE_GRACE_MS = 10_000;

/**
 * Takes the lock file `path`, or returns `undefined` when a live process
 * holds it. The file holds `{ pid, hostname, startedAt, nonce }`; a lock is
 * stale when its host is this one and its pid is dead (a run killed with
 * -9 never released it). A lock of another host is never taken: its pid
 * cannot be checked from here.
 *
 * Creation is atomic with its content (written to a temp file, then
 * `link()`ed, which fails if the lock exists), so no reader sees an empty
 * lock. A stale lock is broken under a second lock (`<path>.break`), and
 * only if it still holds what was read as stale, so two runs that find the
 * same stale lock cannot both take it.
 */
export async function tryLock(path: string): Promise<JobLock | undefined> {
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    nonce: randomBytes(6).toString('hex'),
  };
  const lock: JobLock = { path, owner, release: () => releaseLock(path, owner) };
  // Twice: a lock released between our attempt and our read is free again.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createExclusive(path, owner)) return lock;
    const held = await readLock(path);
    if (held === undefined) continue;
    if (!isStale(held)) return undefined;
    if (!(await breakStale(path, held.raw, owner))) return undefined;
    return (await createExclusive(path, owner)) ? lock : undefined;
  }
  return undefined;
}

interface HeldLock {
  raw: string;
  owner: LockOwner | undefined;
  ageMs: number;
}

async function readLock(path: string): Promise<HeldLock | undefined> {
  try {
    const [raw, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { raw, owner: parseOwner(raw), ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    return typeof value.pid === 'number' &&
      typeof value.hostname === 'string' &&
      typeof value.startedAt === 'string' &&
      typeof value.nonce === 'string'
      ? (value as LockOwner)
      : undefined;
  } catch {
    return undefined;
  }
}

function isStale(held: HeldLock): boolean {
  if (held.owner === undefined) return held.ageMs > UNREADABLE_GRACE_MS;
  return held.owner.hostname === hostname() && !isAlive(held.owner.pid);
}

/** Signal 0 checks existence; EPERM means alive under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

/** Removes the stale lock if it still reads `raw`; false when another run is breaking it. */
async function breakStale(path: string, raw: string, owner: LockOwner): Promise<boolean> {
  const breaker = `${path}.break`;
  if (!(await createExclusive(breaker, owner))) {
    // A breaker that died mid-break (it takes a few ms) is removed for the next run to retry.
    const other = await readLock(breaker);
    if (other && isStale(other)) await rm(breaker, { force: true });
    return false;
  }
  try {
    const now = await readLock(path);
    if (now?.raw === raw) await rm(path, { force: true });
    return true;
  } finally {
    await rm(breaker, { force: true });
  }
}

/** Creates `path` holding `owner`, atomically; false if it exists. */
async function createExclusive(path: string, owner: LockOwner): Promise<boolean> {
  const content = `${JSON.stringify(owner)}\n`;
  const temp = `${path}.${owner.pid}.${owner.nonce}.tmp`;
  await writeFile(temp, content);
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    // File systems without hard links: exclusive create, then write (readers allow for the gap).
    if (!isCode(error, 'EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP')) throw error;
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      return true;
    } catch (fallback) {
      if (isCode(fallback, 'EEXIST')) return false;
      throw fallback;
    }
  } finally {
    await rm(temp, { force: true });
  }
}

async function releaseLock(path: string, owner: LockOwner): Promise<void> {
  try {
    const held = await readLock(path);
    if (held?.owner?.nonce === owner.nonce && held.owner.pid === owner.pid) await rm(path, { force: true });
  } catch {
    // Unlocking is best effort: a lock left behind is stale once we exit.
  }
}

export function isCode(error: unknown, ...codes: string[]): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    codes.includes(error.code)
  );
}
