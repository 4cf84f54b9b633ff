import { type FileHandle, open } from 'node:fs/promises';
import type { ByteSource } from '../ByteSource.js';

/** A `ByteSource` over an open file; `close()` when done. */
export interface FileSource extends ByteSource {
  readonly name: string;
  close(): Promise<void>;
}

/**
 * Opens `path` for random reads: each `read` is one positioned read into a
 * fresh buffer, so files larger than memory are fine (only what is asked
 * for is loaded).
 */
export async function openFileSource(path: string): Promise<FileSource> {
  const handle: FileHandle = await open(path, 'r');
  let known: number | undefined;
  const size = async () => {
    known ??= (await handle.stat()).size;
    return known;
  };
  return {
    name: path,
    size,
    async read(start, end, signal) {
      signal?.throwIfAborted();
      const total = await size();
      const from = Math.min(Math.max(0, start), total);
      const length = Math.max(0, Math.min(end, total) - from);
      const bytes = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(bytes, filled, length - filled, from + filled);
        if (bytesRead === 0) break; // the file shrank under us: return what there is
        filled += bytesRead;
      }
      return filled === length ? bytes : bytes.subarray(0, filled);
    },
    close: () => handle.close(),
  };
}
