import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where work in progress on `path` is written: `<path>.part`, renamed to `path` once complete. */
export function partPath(path: string): string {
  return `${path}.part`;
}

/**
 * A file that appears under its final name only when complete: everything
 * is written to `partPath`, `commit()` renames it into place (atomic on one
 * file system), `discard()` removes it. A `.part` left by a killed run is
 * ours to overwrite: open it with `'w'`, never `'wx'`.
 */
export interface AtomicFile {
  readonly path: string;
  readonly partPath: string;
  commit(): Promise<void>;
  /** Removes the part file; never throws. */
  discard(): Promise<void>;
}

export interface AtomicFileOptions {
  /**
   * A part name of this writer's own, `<path>.<random>.part`, for writers
   * that may run concurrently on one path (the last rename wins, neither
   * sees a half file). A killed writer's unique part is not found again by
   * name: its owner must record and remove it. Default false: `<path>.part`.
   */
  unique?: boolean;
}

export function atomicFile(path: string, options: AtomicFileOptions = {}): AtomicFile {
  const part = options.unique ? `${path}.${randomSuffix()}.part` : partPath(path);
  return {
    path,
    partPath: part,
    commit: () => rename(part, path),
    discard: () =>
      rm(part, { force: true }).then(
        () => undefined,
        () => undefined,
      ),
  };
}

/**
 * Runs `write(partPath)`, then renames the part file to `path`; on failure
 * (or abort) removes the part file and rethrows. The one way rec writes a
 * file that a user or a later run will read.
 */
export async function withAtomicFile<T>(
  path: string,
  write: (partPath: string) => Promise<T>,
  options: AtomicFileOptions = {},
): Promise<T> {
  const file = atomicFile(path, options);
  try {
    const result = await write(file.partPath);
    await file.commit();
    return result;
  } catch (error) {
    await file.discard();
    throw error;
  }
}

/** Writes `data` (bytes, text, or a stream of chunks) atomically to `path`; returns the bytes written. */
export function writeFileAtomic(
  path: string,
  data: Uint8Array | string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { signal?: AbortSignal } & AtomicFileOptions = {},
): Promise<number> {
  return withAtomicFile(
    path,
    async (part) => {
      const out = createWriteStream(part);
      const input = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
      await pipeline(
        Readable.from(input, { objectMode: false }),
        out,
        options.signal ? { signal: options.signal } : {},
      );
      return out.bytesWritten;
    },
    options,
  );
}

/**
 * 8 hex digits from Web Crypto (a global since Node 19): importing
 * `node:crypto` would load it for every CLI start, about 50 ms of mp4dump's.
 */
function randomSuffix(): string {
  const [value = 0] = globalThis.crypto.getRandomValues(new Uint32Array(1));
  return value.toString(16).padStart(8, '0');
}
