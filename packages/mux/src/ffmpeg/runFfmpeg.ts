import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { invalidOption, makeProgress, type ProgressListener, ProgressUnit } from '@rec/core';
import { DISK_FULL_TEXT } from '../diskFull.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { describeFfmpegFailure, hasKnownCause } from './describeFfmpegFailure.js';
import { type FfmpegStatus, parseFfmpegStatus } from './parseFfmpegStatus.js';
import { resolveFfmpeg } from './resolveBinary.js';

/** The one module that starts ffmpeg: every other file goes through `runFfmpeg`. */

export interface FfmpegInput {
  /**
   * A path/URL for ffmpeg, or a stream piped into it: the first stream
   * input is its stdin (`pipe:0`), the next ones descriptors 3, 4, ...
   * (`pipe:3`): ffmpeg reads each input in a thread of its own, so one
   * stream that waits for its bytes does not hold the others.
   */
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

const MAX_CAUSE_LINES = 8;
/** ffmpeg ends a status line with `\r` (a terminal's carriage return), other lines with `\n`. */
const LINE_END = /\r\n|\r|\n/;

/**
 * Runs one ffmpeg process (`child_process.spawn`, no shell). Rejects with
 * `signal.reason` on abort (ffmpeg is killed and has exited before the
 * promise settles), with the input stream's own error when that stream
 * fails, and with a `MuxError` `FFMPEG_FAILED` when ffmpeg fails
 * (`MUX_DISK_FULL` when the cause it reported is a full disk or quota): its
 * message is one line, the cause ffmpeg reported (`ffmpeg failed: No space
 * left on device (/rec/out.mp4.part) (exited with code 1)`), and its `log`
 * the last stderr lines.
 *
 * Why not fluent-ffmpeg (used until 2026-12, archived upstream): before its
 * first run in a process it ran `ffmpeg -formats` and `ffmpeg -encoders`,
 * one after the other, for capability checks we never needed: 0.3 s before
 * a recording's first encoder started; and its path cache made concurrent
 * runs wait for each other's spawn.
 */
export async function runFfmpeg(options: RunFfmpegOptions): Promise<RunFfmpegResult> {
  const { signal, onProgress, totalSeconds, timeOrigin = 0 } = options;
  signal?.throwIfAborted();
  if (options.inputs.length === 0) throw invalidOption('inputs', 'at least one input', options.inputs);
  if (options.outputs.length === 0) throw invalidOption('outputs', 'at least one output', options.outputs);
  const ffmpegPath = resolveFfmpeg({ path: options.ffmpegPath }).path;
  // The descriptor of each stream input: stdin, then 3, 4, ...
  const streams: { fd: number; stream: Readable }[] = [];
  const sourceOf = new Map<FfmpegInput, string>();
  for (const input of options.inputs) {
    if (typeof input.source === 'string') {
      sourceOf.set(input, input.source);
      continue;
    }
    const fd = streams.length === 0 ? 0 : streams.length + 2;
    streams.push({ fd, stream: input.source });
    sourceOf.set(input, `pipe:${fd}`);
  }

  const keep = options.stderrLines ?? 20;
  const tail: string[] = [];
  /** Lines naming a cause (a full disk...), whenever they came: the tail may have lost them. */
  const causeLines: string[] = [];
  const files = [
    ...options.inputs.map((input) => sourceOf.get(input) as string),
    ...options.outputs.map((output) => output.target),
  ];
  const args = [
    '-hide_banner',
    ...(streams[0]?.fd === 0 ? [] : ['-nostdin']),
    ...(options.globalOptions ?? []),
    ...options.inputs.flatMap((input) => [...(input.options ?? []), '-i', sourceOf.get(input) as string]),
    ...options.outputs.flatMap((output) => [...(output.options ?? []), output.target]),
  ];
  let frames: number | undefined;
  let fatal: Error | undefined;
  let child: ChildProcess;
  /**
   * Kills ffmpeg and closes the pipes we feed it: a process ffmpeg runs
   * under (a wrapper script, `nice`) outlives the kill of its parent, and
   * sees its inputs end instead of waiting on them forever.
   */
  const kill = () => {
    child.kill('SIGKILL');
    for (const { fd, stream } of streams) {
      stream.unpipe();
      (child.stdio[fd] as Writable | null)?.destroy();
    }
  };

  const onLine = (line: string) => {
    if (line === '') return;
    if (causeLines.length < MAX_CAUSE_LINES && hasKnownCause(line)) causeLines.push(line);
    if (fatal) return;
    if (options.fatalStderr?.test(line)) {
      fatal =
        options.onFatal?.(line) ??
        new MuxError(MuxErrorCode.FfmpegFailed, `ffmpeg reported a broken output: ${line.trim()}`);
      kill();
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
  };

  return new Promise<RunFfmpegResult>((resolve, reject) => {
    let inputError: { error: unknown } | undefined;
    const onAbort = () => kill();
    const stdio: ('pipe' | 'ignore')[] = ['ignore', 'ignore', 'pipe'];
    for (const { fd } of streams) stdio[fd] = 'pipe';
    child = spawn(ffmpegPath, args, { stdio, windowsHide: true });
    signal?.addEventListener('abort', onAbort, { once: true });

    for (const { fd, stream } of streams) {
      const pipe = child.stdio[fd] as Writable | null;
      if (!pipe) continue;
      // ffmpeg may stop reading early (it failed, or has what it needs): the pipe's EPIPE is its exit's to tell.
      pipe.on('error', () => {});
      stream.once('error', (error) => {
        inputError ??= { error };
        kill();
      });
      stream.pipe(pipe);
    }

    const decoder = new StringDecoder('utf8');
    let partial = '';
    const take = (text: string, last: boolean) => {
      const lines = (partial + text).split(LINE_END);
      partial = last ? '' : (lines.pop() ?? '');
      for (const line of lines) onLine(line);
    };
    child.stderr?.on('data', (chunk: Buffer) => take(decoder.write(chunk), false));

    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError ??= error;
    });
    // 'close': the process has exited and its stderr is read to the end.
    child.once('close', (code, killedBy) => {
      take(decoder.end(), true);
      signal?.removeEventListener('abort', onAbort);
      for (const { stream } of streams) {
        stream.unpipe();
        stream.destroy();
      }
      if (signal?.aborted) return reject(signal.reason);
      if (fatal) return reject(fatal);
      if (inputError) return reject(inputError.error);
      if (spawnError) return reject(spawnError);
      if (code === 0) return resolve({ ffmpegPath, args, frames, stderrTail: tail });
      const how = killedBy ? `killed with signal ${killedBy}` : `exited with code ${code}`;
      const cause = describeFfmpegFailure([...causeLines, ...tail], files);
      // A full disk is the caller's to tell apart (free space, another target): a code of its own.
      const errorCode =
        cause !== undefined && DISK_FULL_TEXT.test(cause) ? MuxErrorCode.DiskFull : MuxErrorCode.FfmpegFailed;
      reject(
        new MuxError(errorCode, `ffmpeg failed: ${cause ?? 'no output on stderr'} (${how})`, {
          // What the process did, with the binary that did it.
          cause: new Error(`${ffmpegPath} ${how}`),
          log: tail.filter((line) => line.trim() !== '').join('\n'),
        }),
      );
    });
  });
}
