import { closeSync, open, writevSync } from 'node:fs';
import { promisify } from 'node:util';

const openFile = promisify(open);

/**
 * Bytes gathered before one `writev`: a whole segment of a few hundred kB
 * is one system call. N transfers at once hold at most N x 512 KiB.
 */
const BATCH_BYTES = 512 * 1024;
/** On a slow link the bytes go to disk at least this often (ms): a kill loses a second of transfer, not 512 KiB. */
const BATCH_MS = 1000;

/**
 * A download's body written into its `.part` file at its offsets (dashget's
 * HTTP transfers, s3-segments' objects): chunks are
 * gathered and written with one positioned `writev(2)` per `BATCH_BYTES`
 * or `BATCH_MS` (and at the end), synchronously, on one descriptor.
 *
 * Why not an `fs.WriteStream` per file: it makes a `write` per socket
 * chunk (64 KiB), and every async fs call is a trip through libuv's thread
 * pool, a thread woken that preempts the event loop on a busy machine.
 * Measured on dashget's bench, 453 segments (148 MB, 2 cores): the CLI's CPU
 * went from 1.3 s user + 0.7 s sys to 1.1 s + 0.35 s, GC time halved (no
 * stream buffers). A write into the page cache is a copy, done in place
 * like curl does; the open stays in the thread pool: creating a file waits
 * on the file system's journal (about 1 ms each, sampled on the event loop,
 * when other processes wrote files). Bytes not yet written when a transfer fails are written by
 * `close` before the caller counts `written`, so a retry or a later run
 * continues right after them.
 */
export class PartWriter {
  readonly #fd: number;
  #position: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** `performance.now()` when the oldest chunk not yet written came. */
  #pendingSince = 0;
  #closed = false;
  /** Bytes on disk so far (after `flush`, all of them). */
  written = 0;

  private constructor(fd: number, position: number) {
    this.#fd = fd;
    this.#position = position;
  }

  /** Opens `path` to write at `position`: `'r+'` continues an existing part, `'w'` starts a new one. */
  static async open(path: string, flags: 'r+' | 'w', position: number): Promise<PartWriter> {
    return new PartWriter(await openFile(path, flags), position);
  }

  /** Takes a chunk (kept, not copied: the caller must not reuse it); writes the batch once full or a second old. */
  write(chunk: Buffer): void {
    const now = performance.now();
    if (this.#pending.length === 0) this.#pendingSince = now;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes >= BATCH_BYTES || now - this.#pendingSince >= BATCH_MS) this.flush();
  }

  /** Writes every chunk taken so far. */
  flush(): void {
    while (this.#pending.length > 0) {
      const buffers = this.#pending;
      const bytes = this.#pendingBytes;
      this.#pending = [];
      this.#pendingBytes = 0;
      let done = 0;
      // A positioned writev may write less than asked (a signal, a full disk about to fail): the rest again.
      while (done < bytes) {
        const bytesWritten = writevSync(
          this.#fd,
          done === 0 ? buffers : remainder(buffers, done),
          this.#position + done,
        );
        if (bytesWritten === 0)
          throw new Error(`no byte written to the part file at ${this.#position + done}`);
        done += bytesWritten;
      }
      this.#position += bytes;
      this.written += bytes;
    }
  }

  /** Writes what is left and closes the file; once (a descriptor number is reused by the next open). */
  close(): void {
    if (this.#closed) return;
    try {
      this.flush();
    } finally {
      this.#closed = true;
      closeSync(this.#fd);
    }
  }
}

/** `buffers` without their first `skip` bytes (views, no copy). */
function remainder(buffers: readonly Buffer[], skip: number): Buffer[] {
  const rest: Buffer[] = [];
  let left = skip;
  for (const buffer of buffers) {
    if (left >= buffer.length) {
      left -= buffer.length;
      continue;
    }
    rest.push(left > 0 ? buffer.subarray(left) : buffer);
    left = 0;
  }
  return rest;
}
