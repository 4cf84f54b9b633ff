import { type FileHandle, open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** How often a follower looks for more bytes when it has read all there are. */
const POLL_MS = 25;
const CHUNK = 1 << 20;

/**
 * Sends a file to a stream while another writer is still writing it: a TS
 * recording goes out as es-ts writes it through its part file, so a caller
 * streaming it (an HTTP response) gets the first bytes before the last
 * segment is muxed, and memory stays one chunk (the stream's backpressure
 * paces the reads). The part file is opened once it exists and followed
 * through the rename to `path` (the open handle keeps the same file).
 */
export interface FileFollower {
  /** The writer is done: send what is left, then resolve `sent`. */
  finish(): void;
  /** Stops following (the writer failed); `sent` rejects with `reason`. */
  stop(reason: unknown): void;
  /** Resolves with the bytes sent once all of them are written to the stream (not ended). */
  readonly sent: Promise<number>;
  /** Bytes written to the stream so far. */
  readonly bytes: number;
  /** Whether a write to the stream was begun (a failure must then destroy it). */
  readonly started: boolean;
}

export function followFile(
  paths: { part: string; path: string },
  stream: Writable,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): FileFollower {
  const { signal } = options;
  let done = false;
  let stopped: { reason: unknown } | undefined;
  let bytes = 0;
  let started = false;

  const openWhenThere = async (): Promise<FileHandle | undefined> => {
    for (const path of done ? [paths.part, paths.path] : [paths.part]) {
      try {
        return await open(path, 'r');
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
      }
    }
    return undefined;
  };
  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      stream.write(chunk, (error) => (error ? reject(error) : resolve()));
    });

  // The stream's own failure (a client that went away) stops the follower with it.
  const onError = (error: unknown) => {
    stopped ??= { reason: error };
  };
  stream.on('error', onError);

  async function run(): Promise<number> {
    let handle: FileHandle | undefined;
    try {
      for (;;) {
        signal?.throwIfAborted();
        if (stopped) throw stopped.reason;
        const wasDone = done;
        handle ??= await openWhenThere();
        if (handle === undefined) {
          if (wasDone) throw new Error(`${paths.path}: the recording was not written`);
          await sleep(POLL_MS);
          continue;
        }
        // A fresh buffer per chunk: the stream may hold it until it is consumed.
        const chunk = Buffer.allocUnsafe(CHUNK);
        const { bytesRead } = await handle.read(chunk, 0, CHUNK, bytes);
        if (bytesRead > 0) {
          started = true;
          await write(chunk.subarray(0, bytesRead));
          bytes += bytesRead;
          options.onBytes?.(bytes);
          continue;
        }
        // At the end of what is there: done when the writer was done before this read.
        if (wasDone) return bytes;
        await sleep(POLL_MS);
      }
    } finally {
      stream.off('error', onError);
      await handle?.close();
    }
  }
  const sent = run();
  sent.catch(() => {}); // awaited by the caller, after the writer
  return {
    finish: () => {
      done = true;
    },
    stop: (reason) => {
      stopped ??= { reason };
    },
    sent,
    get bytes() {
      return bytes;
    },
    get started() {
      return started;
    },
  };
}

/** Ends `stream` and waits until it has flushed. */
export async function endStream(stream: Writable): Promise<void> {
  stream.end();
  await finished(stream);
}
