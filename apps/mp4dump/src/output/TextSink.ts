import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Text written out in chunks, with the stream's back-pressure. */
export interface TextSink {
  /** Queues `text`; resolves at once unless a chunk was handed over and the stream is full. */
  write(text: string): void | Promise<void>;
  /** Hands over what is queued and waits until the stream took it. */
  flush(): Promise<void>;
  /** Aborted with `OutputClosed` when the reader went away (EPIPE): stop producing. */
  readonly closed: AbortSignal;
}

/** The abort reason of `TextSink.closed`: `mp4dump big.mp4 | head` ends quietly on it. */
export class OutputClosed extends Error {
  override readonly name = 'OutputClosed';
}

/**
 * Chunks of this many UTF-16 units go to the stream in one write: a dump
 * is many short lines, and on Linux a write to a pipe or a file is a
 * synchronous system call for each (Node's process.stdout), so line by
 * line would cost a syscall per line.
 */
const CHUNK = 64 * 1024;

/**
 * A `TextSink` over `stream` (process.stdout, a file's write stream). A
 * write that fills the stream's buffer waits for `drain`. When the reader
 * closes the pipe (EPIPE, `| head`), `closed` is aborted and later writes
 * are dropped; any other stream error is kept and thrown by the next write
 * or `flush`.
 */
export function createTextSink(stream: Writable): TextSink {
  const controller = new AbortController();
  let pending: string[] = [];
  let length = 0;
  let failure: Error | undefined;

  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') controller.abort(new OutputClosed('the output was closed'));
    else failure ??= error;
  });

  const handOver = async () => {
    if (failure) throw failure;
    if (controller.signal.aborted || length === 0) return;
    const chunk = pending.join('');
    pending = [];
    length = 0;
    if (!stream.write(chunk)) await waitForDrain(stream, controller.signal);
    if (failure) throw failure;
  };

  return {
    closed: controller.signal,
    write(text) {
      if (controller.signal.aborted) return;
      pending.push(text);
      length += text.length;
      if (length >= CHUNK) return handOver();
    },
    flush: handOver,
  };
}

/** Resolves on `drain`, or once the stream failed or its reader left (the write's error tells which). */
async function waitForDrain(stream: Writable, closed: AbortSignal): Promise<void> {
  const gone = new AbortController();
  const stop = () => gone.abort();
  closed.addEventListener('abort', stop, { once: true });
  stream.once('error', stop);
  stream.once('close', stop);
  try {
    await once(stream, 'drain', { signal: gone.signal });
  } catch {
    // Not drained: the caller checks why.
  } finally {
    closed.removeEventListener('abort', stop);
    stream.off('error', stop);
    stream.off('close', stop);
  }
}
