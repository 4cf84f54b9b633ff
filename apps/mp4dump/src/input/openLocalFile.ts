import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ByteSource } from '@rec/core';

/** A `ByteSource` over a local file; `close()` when done. */
export interface LocalFile extends ByteSource {
  readonly name: string;
  close(): void;
}

/** How long reads may run back to back before the event loop gets a turn (signals, stdout's events). */
const TURN_MS = 20;

/**
 * A local file read with blocking positioned reads (`readSync`), for the
 * CLI: a dump reads a file as a series of small windows (the reader's
 * 64 KiB read-ahead; about 1,000 windows for the bench's 60 MB file with a
 * moof per frame), and through `@rec/core/node`'s `openFileSource` each is a
 * trip through libuv's thread pool: on the bench machine the dump spent
 * more time waiting for those trips than working (375 of 847 ms idle in a
 * CPU profile). Synchronous reads of a file in the page cache are a
 * memcpy. Each read gets a fresh, unpooled buffer (decoded boxes may keep
 * views into it), not zero-filled since it is overwritten; every `TURN_MS`
 * a read yields to the event loop, so that Ctrl-C and a closed stdout are
 * still seen during a long dump.
 */
export function openLocalFile(path: string): LocalFile {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  let lastTurn = performance.now();
  return {
    name: path,
    size: () => Promise.resolve(size),
    async read(start, end, signal) {
      if (performance.now() - lastTurn > TURN_MS) {
        await nextTurn();
        lastTurn = performance.now();
      }
      signal?.throwIfAborted();
      const from = Math.min(Math.max(0, start), size);
      const length = Math.max(0, Math.min(end, size) - from);
      const bytes = Buffer.allocUnsafeSlow(length);
      let filled = 0;
      while (filled < length) {
        const read = readSync(fd, bytes, filled, length - filled, from + filled);
        if (read === 0) break; // the file shrank under us: what there is
        filled += read;
      }
      return new Uint8Array(bytes.buffer, bytes.byteOffset, filled);
    },
    close: () => closeSync(fd),
  };
}
