import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ByteSource } from '../ByteSource.js';

/** A `ByteSource` over an open file; `close()` when done. */
export interface FileSource extends ByteSource {
  readonly name: string;
  close(): Promise<void>;
}

export interface FileSourceOptions {
  /**
   * Read with blocking positioned reads (`readSync`) instead of the thread
   * pool, for a CLI that reads one file as many small windows: each async
   * read is a trip through libuv's pool, which on a file in the page cache
   * costs more than the copy (mp4dump's dump of a 60 MB fragmented file
   * waited 375 of 847 ms on those trips). The event loop still gets a turn
   * every 20 ms of reads, so signals and stdout's events are seen. Not for
   * servers: a blocking read stalls every other request meanwhile.
   */
  blocking?: boolean;
}

/** How long blocking reads may run back to back before the event loop gets a turn. */
const TURN_MS = 20;
/**
 * When blocking reads last gave the event loop a turn: one clock for every
 * blocking source, since a CLI dumping 3,000 small files opens a source per
 * file and each one's reads take less than `TURN_MS` (a per-source clock
 * never yielded, and Ctrl-C went unseen until the last file).
 */
let lastTurn = performance.now();

/**
 * Opens `path` for random reads: each `read` is one positioned read into a
 * fresh buffer, so files larger than memory are fine (only what is asked
 * for is loaded). A read past the end returns what there is.
 */
export async function openFileSource(path: string, options: FileSourceOptions = {}): Promise<FileSource> {
  return options.blocking ? openBlocking(path) : openAsync(path);
}

async function openAsync(path: string): Promise<FileSource> {
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

function openBlocking(path: string): FileSource {
  const fd = openSync(path, 'r');
  const total = fstatSync(fd).size;
  let closed = false;
  return {
    name: path,
    size: () => Promise.resolve(total),
    async read(start, end, signal) {
      if (performance.now() - lastTurn > TURN_MS) {
        await nextTurn();
        lastTurn = performance.now();
      }
      signal?.throwIfAborted();
      const from = Math.min(Math.max(0, start), total);
      const length = Math.max(0, Math.min(end, total) - from);
      // Unpooled (decoded boxes may keep views into it) and not zero-filled: every byte is read over.
      const bytes = Buffer.allocUnsafeSlow(length);
      let filled = 0;
      while (filled < length) {
        const read = readSync(fd, bytes, filled, length - filled, from + filled);
        if (read === 0) break; // the file shrank under us: return what there is
        filled += read;
      }
      return new Uint8Array(bytes.buffer, bytes.byteOffset, filled);
    },
    async close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
