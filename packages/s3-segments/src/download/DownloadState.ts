import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@rec/core/node';
import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';

/** The resume state file kept in the download directory. */
export const downloadStateFile = '.rec-download.json';

/** One verified file: its listed size and ETag, and its path relative to the directory. */
export interface DownloadStateEntry {
  size: number;
  etag?: string;
  path: string;
}

interface StateData {
  version: 1;
  bucket: string;
  files: Record<string, DownloadStateEntry>;
}

/**
 * Milliseconds between two writes of the state while downloads go on. Each
 * write is the whole state, so writing once per verified file cost O(n^2):
 * an 8-hour window (2,880 files of a kind, a 430 kB state) serialized about
 * 600 MB of JSON per kind. A kill loses at most this long of entries: those
 * files are fetched again by the next run.
 */
export const STATE_WRITE_INTERVAL_MS = 250;

/**
 * The resume state of one download directory (`.rec-download.json`: key ->
 * `{ size, etag, path }`). Entries are added only for verified, renamed files;
 * each change is written atomically (core's `writeFileAtomic`, a part name
 * of its own per write: two processes resuming one directory never write
 * into each other's part), at most once per `STATE_WRITE_INTERVAL_MS`
 * (changes meanwhile are coalesced into the next write), and at once by
 * `flush`.
 */
export class DownloadState {
  readonly #path: string;
  readonly #data: StateData;
  #writing: Promise<void> | undefined;
  #dirty = false;
  #error: unknown;
  /** Ends the pause between two writes (`flush` wants the state on disk now). */
  #wake: (() => void) | undefined;
  #flushing = false;
  /** Writes done so far (for tests: the interval bounds them). */
  writes = 0;

  private constructor(path: string, data: StateData) {
    this.#path = path;
    this.#data = data;
  }

  /** Reads the state of `dir` for `bucket`; a missing, unreadable or other-bucket file starts empty. */
  static async load(dir: string, bucket: string): Promise<DownloadState> {
    const path = join(dir, downloadStateFile);
    let data: StateData = { version: 1, bucket, files: {} };
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<StateData>;
      if (
        parsed.version === 1 &&
        parsed.bucket === bucket &&
        typeof parsed.files === 'object' &&
        parsed.files
      ) {
        data = { version: 1, bucket, files: parsed.files };
      }
    } catch {
      // No state yet (or a corrupt one): everything is downloaded again.
    }
    return new DownloadState(path, data);
  }

  get(key: string): DownloadStateEntry | undefined {
    const entry = this.#data.files[key];
    return entry !== undefined && typeof entry.size === 'number' && typeof entry.path === 'string'
      ? entry
      : undefined;
  }

  /** Records a verified file and schedules an atomic write. */
  record(key: string, entry: DownloadStateEntry): void {
    this.#data.files[key] = entry;
    this.#dirty = true;
    this.#writing ??= this.#writeLoop();
  }

  /** Waits for every scheduled write; throws `LOCAL_IO` if one failed. */
  async flush(): Promise<void> {
    this.#flushing = true;
    this.#wake?.();
    try {
      while (this.#writing !== undefined) await this.#writing;
    } finally {
      this.#flushing = false;
    }
    if (this.#error !== undefined) {
      throw new S3SegmentsError(S3SegmentsErrorCode.LocalIo, `Cannot write the resume state ${this.#path}`, {
        cause: this.#error,
      });
    }
  }

  async #writeLoop(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        const started = performance.now();
        await writeFileAtomic(this.#path, `${JSON.stringify(this.#data, null, 1)}\n`, { unique: true });
        this.writes++;
        const pause = STATE_WRITE_INTERVAL_MS - (performance.now() - started);
        if (this.#dirty && !this.#flushing && pause > 0) await this.#pause(pause);
      }
    } catch (error) {
      this.#error ??= error;
    } finally {
      this.#writing = undefined;
    }
  }

  /** Waits `ms`, or less if `flush` is called meanwhile. */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
