import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { invalidOption, makeProgress, type ProgressListener, ProgressUnit } from '@rec/core';
import ffmpeg from 'fluent-ffmpeg';
import { DISK_FULL_TEXT } from '../diskFull.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { describeFfmpegFailure, hasKnownCause } from './describeFfmpegFailure.js';
import { type FfmpegStatus, parseFfmpegStatus } from './parseFfmpegStatus.js';
import { resolveFfmpeg } from './resolveBinary.js';

/**
 * The one module that knows about fluent-ffmpeg (archived upstream). Every
 * other file goes through `runFfmpeg`, so replacing fluent-ffmpeg by a plain
 * `child_process.spawn` touches this file only.
 */

export interface FfmpegInput {
  /** A path/URL for ffmpeg, or a stream piped into its stdin (`pipe:0`; at most one). */
  source: string | Readable;
  /** Options placed before this input's `-i`. */
  options?: readonly string[];
}

export interface FfmpegOutput {
  /** A path/URL for ffmpeg. */
  target: string;
  /** Options placed before this output. */
  options?: readonly string[];
}

export interface RunFfmpegOptions {
  inputs: readonly FfmpegInput[];
  outputs: readonly FfmpegOutput[];
  /** Global options (`-copyts`...); placed before the first input. */
  globalOptions?: readonly string[];
  /** Explicit ffmpeg binary (else FFMPEG_PATH, PATH, the npm package). */
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** Media seconds the output will hold: gives progress a `total` and `percent`. */
  totalSeconds?: number;
  /**
   * Output timestamp that counts as 0 for progress. Progress comes from
   * `time=`, which ffmpeg 5.x+ miscounts under `-copyts` (see
   * `FfmpegStatus.time`): runs with `-copyts` report their own progress
   * through `onStatus` or their input instead.
   */
  timeOrigin?: number;
  onProgress?: ProgressListener;
  /** Every status line ffmpeg prints (time, frames, bytes written). */
  onStatus?: (status: FfmpegStatus) => void;
  /** How many stderr lines (besides status lines) to keep for the error's `log` (default 20). */
  stderrLines?: number;
  /**
   * A stderr line matching this fails the run (ffmpeg is killed): for what
   * ffmpeg only warns about but breaks the output. The error is what
   * `onFatal` builds from the line (default: `FFMPEG_FAILED` quoting it).
   */
  fatalStderr?: RegExp;
  onFatal?: (line: string) => Error;
}

export interface RunFfmpegResult {
  ffmpegPath: string;
  /** The argument list ffmpeg ran with (after the binary). */
  args: string[];
  /** Video frames ffmpeg reported writing (`frame=` of its last status line). */
  frames?: number;
  /** Last stderr lines. */
  stderrTail: string[];
}

// fluent-ffmpeg keeps the ffmpeg path in a module-wide cache that it reads
// after some asynchronous capability checks: runs are serialised up to the
// moment ffmpeg is spawned, so concurrent runs with different binaries do not
// swap them.
let spawnLock: Promise<void> = Promise.resolve();

/**
 * Runs one ffmpeg process. Rejects with `signal.reason` on abort (ffmpeg is
 * killed and has exited before the promise settles), with the input stream's
 * own error when that stream fails, and with a `MuxError` `FFMPEG_FAILED`
 * when ffmpeg fails (`MUX_DISK_FULL` when the cause it reported is a full
 * disk or quota): its message is one line, the cause ffmpeg reported
 * (`ffmpeg failed: No space left on device (/rec/out.mp4.part) (exited with
 * code 1)`), and its `log` the last stderr lines.
 */
export async function runFfmpeg(options: RunFfmpegOptions): Promise<RunFfmpegResult> {
  const { signal, onProgress, totalSeconds, timeOrigin = 0 } = options;
  signal?.throwIfAborted();
  const streams = options.inputs.filter((input) => typeof input.source !== 'string');
  if (streams.length > 1) {
    throw invalidOption('inputs', 'at most one stream input (stdin)', `${streams.length} streams`);
  }
  if (options.inputs.length === 0) throw invalidOption('inputs', 'at least one input', options.inputs);
  if (options.outputs.length === 0) throw invalidOption('outputs', 'at least one output', options.outputs);
  const ffmpegPath = resolveFfmpeg({ path: options.ffmpegPath }).path;

  const keep = options.stderrLines ?? 20;
  const tail: string[] = [];
  /** Lines naming a cause (a full disk...), whenever they came: the tail may have lost them. */
  const causeLines: string[] = [];
  const files = [
    ...options.inputs.map((input) => (typeof input.source === 'string' ? input.source : 'pipe:0')),
    ...options.outputs.map((output) => output.target),
  ];
  let frames: number | undefined;
  const command = ffmpeg({ stdoutLines: keep });
  const global = [
    '-hide_banner',
    ...(streams.length === 0 ? ['-nostdin'] : []),
    ...(options.globalOptions ?? []),
  ];
  options.inputs.forEach((input, index) => {
    command.input(input.source);
    addOptions(command, 'inputOptions', [...(index === 0 ? global : []), ...(input.options ?? [])]);
  });
  for (const output of options.outputs) {
    command.output(output.target);
    addOptions(command, 'outputOptions', output.options ?? []);
  }
  const args = command._getArguments();

  const release = await acquireSpawnLock();
  if (signal?.aborted) {
    release();
    throw signal.reason;
  }
  return new Promise<RunFfmpegResult>((resolve, reject) => {
    let settled = false;
    let aborted = false;
    let fatal: Error | undefined;
    let released = false;
    const unlock = () => {
      if (!released) {
        released = true;
        release();
      }
    };
    const onAbort = () => {
      aborted = true;
      command.kill('SIGKILL');
      // Not spawned yet: fluent-ffmpeg would still spawn it; the 'start' handler kills it.
    };
    let child: ChildProcess | undefined;
    const finish = (error: unknown, value?: RunFfmpegResult) => {
      if (settled) return;
      settled = true;
      unlock();
      signal?.removeEventListener('abort', onAbort);
      for (const input of streams) (input.source as Readable).destroy();
      if (error === undefined && value !== undefined) return resolve(value);
      // Settle only once ffmpeg is gone, so callers can remove its output.
      if (child !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        child.once('exit', () => reject(error));
      } else {
        reject(error);
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    command.setFfmpegPath(ffmpegPath);
    command.on('start', () => {
      child = (command as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;
      unlock();
      if (aborted) command.kill('SIGKILL');
    });
    command.on('stderr', (line: string) => {
      if (causeLines.length < MAX_CAUSE_LINES && hasKnownCause(line)) causeLines.push(line);
      if (options.fatalStderr?.test(line)) {
        fatal ??=
          options.onFatal?.(line) ??
          new MuxError(MuxErrorCode.FfmpegFailed, `ffmpeg reported a broken output: ${line.trim()}`);
        command.kill('SIGKILL');
        return;
      }
      const status = parseFfmpegStatus(line);
      if (status === undefined) {
        tail.push(line);
        if (tail.length > keep) tail.shift();
        return;
      }
      if (status.frames !== undefined) frames = status.frames;
      options.onStatus?.(status);
      if (status.time !== undefined && onProgress) {
        onProgress(makeProgress(Math.max(0, status.time - timeOrigin), totalSeconds, ProgressUnit.Seconds));
      }
    });
    command.on('error', (error: Error & { inputStreamError?: unknown }) => {
      if (aborted && signal) return finish(signal.reason);
      if (fatal) return finish(fatal);
      if (error.inputStreamError !== undefined) return finish(error.inputStreamError);
      // "ffmpeg exited with code 1: <its last lines>" / "ffmpeg was killed with signal SIGKILL"
      const how = error.message.split(':')[0]?.replace(/^ffmpeg /, '') ?? 'failed';
      const cause = describeFfmpegFailure([...causeLines, ...tail], files);
      // A full disk is the caller's to tell apart (free space, another target): a code of its own.
      const code =
        cause !== undefined && DISK_FULL_TEXT.test(cause) ? MuxErrorCode.DiskFull : MuxErrorCode.FfmpegFailed;
      finish(
        new MuxError(code, `ffmpeg failed: ${cause ?? 'no output on stderr'} (${how})`, {
          cause: error,
          log: tail.filter((line) => line.trim() !== '').join('\n'),
        }),
      );
    });
    command.on('end', () => {
      if (aborted && signal) return finish(signal.reason);
      if (fatal) return finish(fatal);
      finish(undefined, { ffmpegPath, args, frames, stderrTail: tail });
    });
    try {
      command.run();
    } catch (error) {
      finish(error);
    }
  });
}

const MAX_CAUSE_LINES = 8;

/** fluent-ffmpeg splits a lone option at a space unless it gets several arguments. */
function addOptions(
  command: ffmpeg.FfmpegCommand,
  method: 'inputOptions' | 'outputOptions',
  tokens: readonly string[],
): void {
  if (tokens.length === 1) command[method]([tokens[0] as string]);
  else if (tokens.length > 1) command[method](...tokens);
}

function acquireSpawnLock(): Promise<() => void> {
  let release!: () => void;
  const next = new Promise<void>((resolve) => {
    release = resolve;
  });
  const previous = spawnLock;
  spawnLock = previous.then(() => next);
  return previous.then(() => release);
}
