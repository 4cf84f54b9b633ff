import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@rec/core/node';
import { fileError, makeDirectory } from './fileErrors.js';
import { isCode, type JobLock, tryLock } from './jobLock.js';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';

/** The file that says a directory is a recorder job's own (and so ours to empty and remove). */
export const JOB_MARKER = '.rec-recorder-job.json';
/** Held while a run uses the job directory. */
export const JOB_LOCK = '.rec-recorder-job.lock';
/** Files this job's runs wrote outside the job directory, removed by the next run if a run died. */
const STRAYS = '.rec-recorder-strays.json';
/** What `stagedOutput` names its temp files. */
const STRAY_NAME = /\.[0-9a-f]{8}\.part(\.part)?$/;
const SEGMENTS = 'segments';
const RUN_PREFIX = 'run-';
/** Runs of one job at the same time; beyond, the temp dir is taken as broken rather than busy. */
const MAX_SLOTS = 64;

export interface JobDirOptions {
  /** The directory the job directory is made in (`--temp-dir`, or the OS temp dir). Never removed. */
  parent: string;
  /** Stable id of the job (what its downloads depend on): the directory is `rec-recorder-<id>`. */
  id: string;
  /** What the marker records about the job, for a human reading the directory. */
  description: Record<string, unknown>;
  /** `false`: start over (the earlier runs' downloads are removed, only those). */
  resume: boolean;
}

/**
 * One run's hold on its job directory, `<parent>/rec-recorder-<id>` (or
 * `...-<id>-2`, `-3` when other live runs of the same job hold those):
 * downloads in `segments/` (kept for a resume), this run's intermediate
 * files in `run-<random>/`.
 */
export interface JobDir {
  readonly path: string;
  /** Where segments are downloaded; kept across runs of the job. */
  readonly segments: string;
  /** This run's intermediate files (fresh each run). */
  readonly work: string;
  /** A unique token of this run, for names it writes outside the job directory. */
  readonly runId: string;
  /**
   * Records files this run is about to write outside the job directory (the
   * output's temp names), so that the next run of the job removes them if
   * this one is killed before it does.
   */
  addStrays(paths: readonly string[]): Promise<void>;
  /** Unlocks and keeps the downloads for a resume (this run's work files go, unless `keepWork`). */
  release(options?: { keepWork?: boolean }): Promise<void>;
  /** Removes the job directory and everything in it (the run succeeded). */
  remove(): Promise<void>;
}

/**
 * Finds (or makes) the job directory and locks it. rec deletes only inside
 * a directory that carries its marker: a directory of that name without
 * one (and not empty) is someone else's, and the next name is tried.
 * Concurrent runs of one job get separate directories; a directory whose
 * lock holder died (kill -9) is taken over, downloads and all.
 */
export async function openJobDir(options: JobDirOptions): Promise<JobDir> {
  const { parent, id } = options;
  try {
    await makeDirectory(parent);
  } catch (cause) {
    throw fileError(`create the temp dir ${parent}`, cause, {
      code: RecorderErrorCode.TempDir,
      path: parent,
    });
  }
  for (let slot = 1; slot <= MAX_SLOTS; slot++) {
    const path = jobPath(parent, id, slot);
    let lock: JobLock | undefined;
    try {
      if (!(await claim(path, options))) continue;
      lock = await tryLock(join(path, JOB_LOCK));
      if (!lock) continue;
      // The holder we waited on may have removed the marker on its way out.
      await writeMarker(path, options);
      return await prepare(path, lock, options);
    } catch (cause) {
      await lock?.release();
      if (isCode(cause, 'ENOENT')) continue; // removed under us by the run that held it
      throw fileError(`use the job directory ${path}`, cause, { code: RecorderErrorCode.TempDir, path });
    }
  }
  throw new RecorderError(
    RecorderErrorCode.TempDir,
    `${MAX_SLOTS} job directories rec-recorder-${id}* in ${parent} are held by other runs or are not ours`,
    { path: parent },
  );
}

/** Slot 1 is `rec-recorder-<id>`, slot n `rec-recorder-<id>-<n>`. */
function jobPath(parent: string, id: string, slot: number): string {
  return join(parent, slot === 1 ? `rec-recorder-${id}` : `rec-recorder-${id}-${slot}`);
}

/** What `removeJobDirs` did. */
export interface RemovedJobDirs {
  /** Job directories removed, with their downloads and the files their runs left beside the output. */
  removed: string[];
  /** Job directories of the job that a live run holds: left alone. */
  busy: string[];
}

/**
 * Removes the job's resume state: every directory `rec-recorder-<id>[-n]`
 * in `parent` that carries the job's marker and that no live run holds
 * (each is locked first, so a running recording is never touched), with
 * the temp files its runs left beside their outputs. Directories of that
 * name without the marker, files and symlinks are not ours and stay;
 * `parent` itself stays.
 */
export async function removeJobDirs(parent: string, id: string): Promise<RemovedJobDirs> {
  const result: RemovedJobDirs = { removed: [], busy: [] };
  for (let slot = 1; slot <= MAX_SLOTS; slot++) {
    const path = jobPath(parent, id, slot);
    try {
      const info = await lstat(path).catch((error: unknown) => {
        if (isCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
        throw error;
      });
      if (!info?.isDirectory() || (await readMarker(path))?.id !== id) continue;
      const lock = await tryLock(join(path, JOB_LOCK));
      if (!lock) {
        result.busy.push(path);
        continue;
      }
      try {
        await removeStrays(path);
        for (const entry of await readdir(path)) {
          if (!entry.startsWith(JOB_LOCK)) await rm(join(path, entry), { recursive: true, force: true });
        }
      } finally {
        await lock.release();
      }
      // Fails (and is left) if another run took the directory in the meantime: then it is theirs.
      await rmdir(path).catch(() => undefined);
      result.removed.push(path);
    } catch (cause) {
      throw fileError(`remove the job directory ${path}`, cause, { code: RecorderErrorCode.TempDir, path });
    }
  }
  return result;
}

/** Whether `path` is (now) a job directory of ours: made here, marked, or empty and marked here. */
async function claim(path: string, options: JobDirOptions): Promise<boolean> {
  try {
    await mkdir(path);
    await writeMarker(path, options);
    return true;
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
  }
  const info = await lstat(path);
  if (!info.isDirectory()) return false; // a file or a symlink of that name: never ours
  const marker = await readMarker(path);
  if (marker !== undefined) return marker.id === options.id;
  // An empty directory (a run killed between mkdir and its marker) holds nothing to lose.
  if ((await readdir(path)).length > 0) return false;
  await writeMarker(path, options);
  return true;
}

async function readMarker(path: string): Promise<{ id?: unknown } | undefined> {
  try {
    return JSON.parse(await readFile(join(path, JOB_MARKER), 'utf8')) as { id?: unknown };
  } catch {
    return undefined;
  }
}

async function writeMarker(path: string, options: JobDirOptions): Promise<void> {
  if ((await readMarker(path))?.id === options.id) return;
  const marker = {
    tool: '@rec/recorder',
    note: 'A recorder job directory: rec may empty and remove it. Anything else in the temp dir is left alone.',
    id: options.id,
    ...options.description,
  };
  await writeFileAtomic(join(path, JOB_MARKER), `${JSON.stringify(marker, null, 1)}\n`);
}

async function prepare(path: string, lock: JobLock, options: JobDirOptions): Promise<JobDir> {
  // Whoever held the directory before is gone: what it wrote outside, and its work files, are stale.
  // Its strays stay on this run's list: an ffmpeg it left running may write one again.
  let strays = await removeStrays(path);
  for (const entry of await readdir(path)) {
    // The lock and the files of other runs trying it (`.lock.<pid>.tmp`, `.lock.break`) stay.
    if (entry === JOB_MARKER || entry.startsWith(JOB_LOCK)) continue;
    if (entry === SEGMENTS && options.resume) continue;
    await rm(join(path, entry), { recursive: true, force: true });
  }
  const runId = randomBytes(4).toString('hex');
  const segments = join(path, SEGMENTS);
  const work = join(path, `${RUN_PREFIX}${runId}`);
  await mkdir(segments, { recursive: true });
  await mkdir(work);
  if (strays.length > 0) await writeStrays(path, strays);
  let closed = false;
  const close = async (keep: (entry: string) => boolean) => {
    if (closed) return;
    closed = true;
    try {
      await removeStrays(path);
      for (const entry of await readdir(path)) {
        if (!entry.startsWith(JOB_LOCK) && !keep(entry)) {
          await rm(join(path, entry), { recursive: true, force: true });
        }
      }
    } finally {
      await lock.release();
    }
  };
  return {
    path,
    segments,
    work,
    runId,
    async addStrays(paths) {
      strays = [...strays, ...paths];
      await writeStrays(path, strays);
    },
    release: ({ keepWork = false } = {}) =>
      close(
        (entry) => entry === JOB_MARKER || entry === SEGMENTS || (keepWork && entry.startsWith(RUN_PREFIX)),
      ),
    async remove() {
      await close(() => false);
      // Fails (and is left) if another run took the directory in the meantime: then it is theirs.
      await rmdir(path).catch(() => undefined);
    },
  };
}

/** Removes the files the list names, and the list; returns what it named. */
async function removeStrays(path: string): Promise<string[]> {
  let listed: unknown;
  try {
    listed = JSON.parse(await readFile(join(path, STRAYS), 'utf8'));
  } catch {
    return [];
  }
  // Only names a run makes (`<output>.<random>.part[.part]`, see stagedOutput), whatever the file says.
  const strays = Array.isArray(listed)
    ? listed.filter((stray): stray is string => typeof stray === 'string' && STRAY_NAME.test(stray))
    : [];
  for (const stray of strays) await rm(stray, { force: true });
  await rm(join(path, STRAYS), { force: true });
  return strays;
}

async function writeStrays(path: string, strays: readonly string[]): Promise<void> {
  await writeFileAtomic(join(path, STRAYS), `${JSON.stringify(strays)}\n`);
}
