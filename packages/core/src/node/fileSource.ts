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
 * never yielded, and Ctrl-C went unseen until the last file). Date.now,
 * not performance.now: the first use of `performance` loads perf_hooks
 * (10 modules, 2 ms of a CLI's start).
 */
let lastTurn = Date.now();

/**
 * Opens `path` for random reads: each `read` is one positioned read into
 * bytes of its own (never reused), so files larger than memory are fine
 * (only what is asked for is loaded). A read past the end returns what there is.
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

/** Reads up to this size share slabs of `SLAB_BYTES`; larger ones get a buffer of their own. */
const SMALL_READ = 16 * 1024;
const SLAB_BYTES = 64 * 1024;
let slab = new Uint8Array(0);
let slabUsed = 0;

/**
 * `length` bytes for a read, never handed out twice: small reads are cut
 * from a shared slab, as Node's Buffer pool does (a fresh ArrayBuffer per
 * 4 KiB header read was half the cost of mp4dump's 1,500 reads of a
 * fragmented file), so a view a caller keeps holds at most 64 KiB alive.
 * Not zero-filled: every byte is read over before it is returned.
 */
function carve(length: number): Uint8Array {
  if (length > SMALL_READ) return new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
  if (slabUsed + length > slab.length) {
    const fresh = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slab = new Uint8Array(fresh.buffer, fresh.byteOffset, fresh.length);
    slabUsed = 0;
  }
  const bytes = slab.subarray(slabUsed, slabUsed + length);
  // 8-byte aligned, so that a caller's typed-array views of whole reads stay aligned.
  slabUsed += (length + 7) & ~7;
  return bytes;
}

function openBlocking(path: string): FileSource {
  const fd = openSync(path, 'r');
  const total = fstatSync(fd).size;
  let closed = false;
  return {
    name: path,
    size: () => Promise.resolve(total),
    async read(start, end, signal) {
      if (Date.now() - lastTurn > TURN_MS) {
        await nextTurn();
        lastTurn = Date.now();
      }
      signal?.throwIfAborted();
      const from = Math.min(Math.max(0, start), total);
      const length = Math.max(0, Math.min(end, total) - from);
      const bytes = carve(length);
      let filled = 0;
      while (filled < length) {
        const read = readSync(fd, bytes, filled, length - filled, from + filled);
        if (read === 0) break; // the file shrank under us: return what there is
        filled += read;
      }
      return filled === length ? bytes : bytes.subarray(0, filled);
    },
    async close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
