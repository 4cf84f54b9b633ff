import { type FileHandle, open } from 'node:fs/promises';
import {
  expectNumber,
  makeProgress,
  type ProgressListener,
  ProgressUnit,
  type RecWarning,
  WarningLog,
} from '@rec/core';
import { withAtomicFile } from '@rec/core/node';
import { AAC_FRAME_SAMPLES } from '@rec/es-ts';
import { expectWindow } from '../expectWindow.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { aacChannelCount, describeAdtsFormat, sameAdtsFormat } from './AdtsFormat.js';
import { makeSilentAacFrame } from './makeSilentAacFrame.js';
import { planAdtsTimeline } from './planAdtsTimeline.js';
import type { AudioGap, AudioOverlap } from './planAudioTimeline.js';
import { type AdtsInfo, readAdtsFrames, readAdtsInfo } from './readAdtsInfo.js';
import { unusedChunkWarnings } from './unusedChunkWarnings.js';

export interface AdtsChunk {
  file: string;
  /** Timeline seconds of the chunk's first frame (the epoch in its name). */
  startTime: number;
}

export interface JoinAdtsOptions {
  chunks: readonly AdtsChunk[];
  /** Keep only frames that overlap [start, end) (timeline seconds); without it, every frame. */
  window?: { start: number; end: number };
  /**
   * Seconds a chunk's start time may differ from the end of the frames before
   * it and still continue them (default: 1 s when all start times are whole
   * seconds, else 0.5 s; see `defaultContinuityTolerance`).
   */
  continuityTolerance?: number;
  /** ADTS file; written to `<output>.part` (a stale one is overwritten), renamed when complete. */
  output: string;
  /** ffmpeg used to make the silent frame (only run when there is a gap to fill). */
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** Seconds of output written, out of the output duration. */
  onProgress?: ProgressListener;
}

export interface JoinAdtsResult {
  output: string;
  sampleRate: number;
  /** Output channels of the channel configuration (8 for configuration 7). */
  channels: number;
  /** channel_configuration of the ADTS headers (ISO/IEC 14496-3 Table 1.19). */
  channelConfiguration: number;
  /** ADTS frames written, 1024 samples each. */
  frames: number;
  /**
   * Seconds from `window.start` (or the first chunk's start time) to the start
   * of the first written frame: <= 0 and > -1 frame. Give it to the muxer as
   * the audio offset (`writeRecording`'s `audio.offset`, ffmpeg `-itsoffset`):
   * an MP4 edit list hides the part before the window.
   */
  offset: number;
  /** frames * 1024 / sampleRate. */
  durationSeconds: number;
  /** Filled with silent frames; `frames` counts samples per channel (as `joinWav`). */
  gaps: AudioGap[];
  /** Resolved in favour of the later chunk; `frames` counts samples per channel. */
  overlaps: AudioOverlap[];
  silenceSeconds: number;
  /**
   * Reader warnings (garbage skipped, truncated last frame), chunks outside
   * the window: one entry per kind, with its count and the first file.
   */
  warnings: RecWarning[];
  /** The continuity tolerance applied, seconds. */
  continuityTolerance: number;
}

/** Frames are written in batches of about this many bytes. */
const WRITE_BATCH_BYTES = 1 << 20;

/**
 * Joins AAC chunks in ADTS (ISO/IEC 13818-7 6.2) on the recording timeline
 * into one ADTS file, without re-encoding: frames are copied byte for byte.
 *
 * - Validation: every chunk is read with es-ts `readAdts` (streamed, never
 *   loaded whole); every frame must be AAC LC with one raw_data_block, and
 *   all chunks must share the sampling frequency and channel configuration.
 *   Otherwise a `MuxError` names the file(s), the byte offset or both formats;
 *   a file without a valid ADTS frame is an error naming it.
 * - Timeline: frames sit on one grid of 1024-sample frames that starts at the
 *   earliest chunk's start time. A chunk whose start time is within
 *   `continuityTolerance` of the end of the frames before it continues them
 *   exactly (no silence, no drop): segment lengths are not whole frames'
 *   worth of seconds and names are rounded, so the names cannot be taken
 *   literally. Beyond it, a gap is filled with silent AAC frames up to the
 *   frame nearest the chunk's start time (later audio is not shifted), and an
 *   overlap is resolved for the later chunk: the earlier frames that start at
 *   or after its first frame are dropped. Both are reported.
 * - Silence: one frame of digital silence in the stream's format, made once
 *   with ffmpeg's native `aac` encoder and repeated (ffmpeg runs only when
 *   there is silence to write).
 * - Window: only the grid frames that overlap [start, end) are written, with
 *   silence where no chunk covers it; the first may start before `start`, by
 *   `-offset` seconds (less than one frame).
 * - Output goes to `<output>.part`, renamed when complete; memory stays
 *   bounded: the input is read twice, streamed (once to validate and count,
 *   8 files at a time; once to copy, where a chunk taken whole whose frames
 *   fill the file is copied as a byte range, without parsing). Aborting
 *   rejects with `signal.reason` and removes the part.
 */
export async function joinAdts(options: JoinAdtsOptions): Promise<JoinAdtsResult> {
  const { chunks, window, signal, onProgress, output } = options;
  if (chunks.length === 0) {
    throw new MuxError(MuxErrorCode.NoInput, 'joinAdts: `chunks` is empty: no AAC stream to join');
  }
  if (window !== undefined) expectWindow(window);
  const tolerance = options.continuityTolerance;
  if (tolerance !== undefined) expectNumber('continuityTolerance', tolerance, 0);
  for (const [index, chunk] of chunks.entries()) expectNumber(`chunks[${index}].startTime`, chunk.startTime);
  signal?.throwIfAborted();

  const infos = await scanChunks(chunks, signal).catch((error: unknown) => {
    throw signal?.aborted ? signal.reason : error;
  });
  const format = (infos[0] as AdtsInfo).format;
  for (const info of infos) {
    if (!sameAdtsFormat(format, info.format)) {
      const first = infos[0] as AdtsInfo;
      throw new MuxError(
        MuxErrorCode.AacFormatMismatch,
        `AAC chunks differ in format: ${first.file} is ${describeAdtsFormat(format)}, ` +
          `${info.file} is ${describeAdtsFormat(info.format)}`,
        { file: info.file },
      );
    }
  }
  const { sampleRate } = format;
  const warnings = new WarningLog();
  for (const info of infos) warnings.merge(info.warnings);

  const plan = planAdtsTimeline({
    chunks: chunks.map((chunk, i) => ({ ...chunk, frames: infos[i]?.frames ?? 0 })),
    sampleRate,
    window,
    tolerance,
  });
  warnings.merge(unusedChunkWarnings(chunks, plan.unused, 'frames'));

  const frameSeconds = AAC_FRAME_SAMPLES / sampleRate;
  const totalSeconds = plan.frames * frameSeconds;
  try {
    await withAtomicFile(output, async (part) => {
      // 'w': truncates a part file a killed run left.
      const out = await open(part, 'w');
      try {
        await writeFrames(out, part);
      } finally {
        await out.close();
      }
    });
  } catch (error) {
    // Whatever an abort broke on the way (a killed encoder, a closed stream), the caller gets its reason.
    throw signal?.aborted ? signal.reason : error;
  }

  async function writeFrames(out: FileHandle, part: string): Promise<void> {
    const silent = plan.pieces.some((piece) => piece.kind === 'silence')
      ? await makeSilentAacFrame({
          format,
          workFile: `${part}.silence.aac`,
          ffmpegPath: options.ffmpegPath,
          signal,
        })
      : undefined;
    const writer = new FrameWriter(out, (frames) =>
      onProgress?.(makeProgress(frames * frameSeconds, totalSeconds, ProgressUnit.Seconds)),
    );
    for (const piece of plan.pieces) {
      signal?.throwIfAborted();
      if (piece.kind === 'silence') {
        for (let i = 0; i < piece.frames; i++) {
          await writer.add(silent as Uint8Array, 1);
          if (i % 4096 === 4095) signal?.throwIfAborted();
        }
        continue;
      }
      const info = infos[piece.chunk] as AdtsInfo;
      if (info.contiguous && piece.fromFrame === 0 && piece.frames === info.frames) {
        await copyWholeChunk(info, writer, signal);
        continue;
      }
      const until = piece.fromFrame + piece.frames;
      let index = 0;
      for await (const frame of readAdtsFrames(info.file, { signal })) {
        // The reader's frames are views of its read buffers: keep a copy until written.
        if (index >= piece.fromFrame) await writer.add(frame.bytes.slice(), 1);
        index += 1;
        if (index >= until) break;
      }
      if (index < until) throw changedWhileRead(info, `${index} ADTS frames, ${info.frames} before`);
    }
    await writer.flush();
    signal?.throwIfAborted();
  }

  const silenceFrames = plan.gaps.reduce((sum, gap) => sum + gap.frames, 0);
  return {
    output,
    sampleRate,
    channels: aacChannelCount(format.channelConfiguration),
    channelConfiguration: format.channelConfiguration,
    frames: plan.frames,
    offset: plan.offset,
    durationSeconds: totalSeconds,
    gaps: plan.gaps,
    overlaps: plan.overlaps,
    silenceSeconds: silenceFrames / sampleRate,
    warnings: warnings.list(),
    continuityTolerance: plan.tolerance,
  };
}

/** Chunks read at once while scanning: overlaps file opening and reading. */
const SCAN_CONCURRENCY = 8;

/** `readAdtsInfo` of every chunk, in input order; the first failure in input order is thrown. */
async function scanChunks(
  chunks: readonly AdtsChunk[],
  signal: AbortSignal | undefined,
): Promise<AdtsInfo[]> {
  const results = new Array<PromiseSettledResult<AdtsInfo>>(chunks.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < chunks.length && !failed) {
      const index = next++;
      const chunk = chunks[index] as AdtsChunk;
      try {
        results[index] = {
          status: 'fulfilled',
          value: await readAdtsInfo(chunk.file, { signal }),
        };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
        failed = true; // stop taking new chunks; the ones in flight finish
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SCAN_CONCURRENCY, chunks.length) }, worker));
  const infos: AdtsInfo[] = [];
  for (const result of results) {
    if (result === undefined) continue; // not scanned: an earlier chunk failed
    if (result.status === 'rejected') throw result.reason;
    infos.push(result.value);
  }
  return infos;
}

/** Copies bytes [0, info.bytes) of a chunk whose frames fill them back to back. */
async function copyWholeChunk(
  info: AdtsInfo,
  writer: FrameWriter,
  signal: AbortSignal | undefined,
): Promise<void> {
  const input = await open(info.file, 'r');
  try {
    let position = 0;
    while (position < info.bytes) {
      signal?.throwIfAborted();
      const block = Buffer.allocUnsafe(Math.min(WRITE_BATCH_BYTES, info.bytes - position));
      let filled = 0;
      while (filled < block.length) {
        const { bytesRead } = await input.read(block, filled, block.length - filled, position + filled);
        if (bytesRead === 0) throw changedWhileRead(info, `${position + filled} bytes, ${info.bytes} before`);
        filled += bytesRead;
      }
      position += block.length;
      // Frames are counted for progress in proportion to the bytes.
      const frames =
        Math.round((position / info.bytes) * info.frames) -
        Math.round(((position - block.length) / info.bytes) * info.frames);
      await writer.add(block, frames);
    }
  } finally {
    await input.close();
  }
}

const changedWhileRead = (info: AdtsInfo, detail: string) =>
  new MuxError(MuxErrorCode.AacInvalid, `${info.file}: changed while being read: ${detail}`, {
    file: info.file,
  });

/** Batches bytes into large writes; reports the frames written after each. */
class FrameWriter {
  #batch: Uint8Array[] = [];
  #bytes = 0;
  #pending = 0;
  #written = 0;
  readonly #handle: FileHandle;
  readonly #onWritten: (frames: number) => void;

  constructor(handle: FileHandle, onWritten: (frames: number) => void) {
    this.#handle = handle;
    this.#onWritten = onWritten;
  }

  /** Queues `bytes` (not copied: the caller must not reuse them) holding `frames` frames. */
  async add(bytes: Uint8Array, frames: number): Promise<void> {
    this.#batch.push(bytes);
    this.#bytes += bytes.length;
    this.#pending += frames;
    if (this.#bytes >= WRITE_BATCH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#bytes === 0) return;
    const bytes =
      this.#batch.length === 1 ? (this.#batch[0] as Uint8Array) : Buffer.concat(this.#batch, this.#bytes);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.#handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
    this.#written += this.#pending;
    this.#batch = [];
    this.#bytes = 0;
    this.#pending = 0;
    this.#onWritten(this.#written);
  }
}
