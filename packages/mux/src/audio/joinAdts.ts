import { type FileHandle, open, stat } from 'node:fs/promises';
import {
  expectNumber,
  makeProgress,
  type ProgressListener,
  ProgressUnit,
  type RecWarning,
  rangeDuration,
  WarningLog,
} from '@rec/core';
import { partPath, withAtomicFile } from '@rec/core/node';
import { AAC_FRAME_SAMPLES } from '@rec/es-ts';
import { aacChannelCount, describeAdtsFormat, sameAdtsFormat } from '@rec/es-ts/bitstream';
import { asDiskFull } from '../diskFull.js';
import { expectWindow } from '../expectWindow.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { MuxWarningCode } from '../MuxWarningCode.js';
import {
  type AudioDamage,
  AudioDamageReason,
  type ChunkDamage,
  damageRange,
  formatSeconds,
} from './AudioDamage.js';
import { makeSilentAacFrame } from './makeSilentAacFrame.js';
import { type AdtsTimelinePlan, planAdtsTimeline } from './planAdtsTimeline.js';
import type { AudioGap, AudioOverlap } from './planAudioTimeline.js';
import { type AdtsInfo, readAdtsFrames, readAdtsInfo } from './readAdtsInfo.js';
import { unusedChunkWarnings } from './unusedChunkWarnings.js';

export interface AdtsChunk {
  file: string;
  /** Timeline seconds of the chunk's first frame (the epoch in its name). */
  startTime: number;
  /** What warnings, errors and reports call it (the recorder gives the S3 key); default `file`. */
  name?: string;
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
  /**
   * Fail instead of recovering: a gap is `AUDIO_GAP`, a damaged chunk
   * (empty, unreadable, cut) `AAC_INVALID` naming it. Default false: silent
   * frames for gaps, damaged chunks skipped or cut with a warning and listed
   * in `damaged`.
   */
  strict?: boolean;
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
  /** Damaged chunks, in input order, with the part of the timeline each cost (see `AudioDamage`). */
  damaged: AudioDamage[];
  silenceSeconds: number;
  /**
   * Damaged chunks, bytes skipped before a chunk's first frame, chunks
   * outside the window: one entry per kind, with its count and the first
   * chunk's name.
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
 *   loaded whole); its frames must be AAC LC with one raw_data_block, and
 *   all chunks must share the sampling frequency and channel configuration
 *   (else `AAC_FORMAT_MISMATCH` naming both chunks and formats).
 * - Damaged chunks (unless `strict`): an empty one, or one whose first frame
 *   cannot be used (no ADTS frame, not AAC LC), is skipped; one whose frames
 *   stop early (a last frame cut short, garbage or another format after the
 *   first frames) is used up to there, and the next chunk is placed by its
 *   start time, not glued to it. Each is a warning naming the chunk and the
 *   seconds lost, and an entry of `damaged`. With no usable chunk at all,
 *   `MUX_NO_INPUT` names the first.
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

  const names = chunks.map((chunk) => chunk.name ?? chunk.file);
  const scanned = await scanChunks(chunks, names, signal).catch((error: unknown) => {
    throw signal?.aborted ? signal.reason : error;
  });
  for (const [index, { damage }] of scanned.entries()) {
    if (damage !== undefined && options.strict) {
      throw new MuxError(
        MuxErrorCode.AacInvalid,
        `${damage.description} (strict: a damaged chunk fails the join)`,
        { file: chunks[index]?.file },
      );
    }
  }
  const readable = scanned.flatMap(({ info }, index) => (info === undefined ? [] : [{ info, index }]));
  const infos = readable.map(({ info }) => info);
  const first = infos[0];
  if (first === undefined) {
    const damaged = scanned.flatMap(({ damage }) => (damage === undefined ? [] : [damage]));
    throw new MuxError(
      MuxErrorCode.NoInput,
      `no readable AAC chunk, nothing to take the format from: ${damaged[0]?.description}` +
        (damaged.length > 1 ? ` (and ${damaged.length - 1} more damaged)` : ''),
    );
  }
  const format = first.format;
  for (const info of infos) {
    if (!sameAdtsFormat(format, info.format)) {
      throw new MuxError(
        MuxErrorCode.AacFormatMismatch,
        `AAC chunks differ in format: ${first.name} is ${describeAdtsFormat(format)}, ` +
          `${info.name} is ${describeAdtsFormat(info.format)}`,
        { file: info.file },
      );
    }
  }
  const { sampleRate } = format;
  const warnings = new WarningLog();
  for (const info of infos) warnings.merge(info.warnings);

  const timelineChunks = readable.map(({ info, index }) => ({
    name: info.name,
    startTime: (chunks[index] as AdtsChunk).startTime,
    frames: info.frames,
    cut: info.cut !== undefined,
  }));
  const plan = planAdtsTimeline({ chunks: timelineChunks, sampleRate, window, tolerance });
  const damaged = damageOf(chunks, names, scanned, readable, plan, sampleRate, window);
  for (const damage of damaged)
    warnings.add(damageWarning[damage.reason], damage.message, { source: damage.source });
  warnings.merge(unusedChunkWarnings(timelineChunks, plan.unused, 'frames'));
  if (options.strict && plan.gaps.length > 0) {
    const list = plan.gaps.map((gap) => `${gap.seconds.toFixed(6)} s at ${gap.at}`).join(', ');
    throw new MuxError(
      MuxErrorCode.AudioGap,
      `audio has ${plan.gaps.length} gap(s) and strict mode is on: ${list}`,
    );
  }

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
    throw signal?.aborted ? signal.reason : asDiskFull(error, partPath(output));
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
      if (piece.fromFrame === 0 && piece.frames === info.frames) {
        await copyWholeChunk(info, writer, signal);
        continue;
      }
      const until = piece.fromFrame + piece.frames;
      let index = 0;
      for await (const frame of readAdtsFrames(info.file, { name: info.name, signal })) {
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
    damaged,
    silenceSeconds: silenceFrames / sampleRate,
    warnings: warnings.list(),
    continuityTolerance: plan.tolerance,
  };
}

/** Chunks read at once while scanning: overlaps file opening and reading. */
const SCAN_CONCURRENCY = 8;

/** A chunk as scanned: its info unless skipped, and what is wrong with it. */
interface ScannedChunk {
  info: AdtsInfo | undefined;
  damage: ChunkDamage | undefined;
}

/**
 * `readAdtsInfo` of every chunk, in input order. A file that cannot be read
 * at all (missing, no permission) is an error, not damaged media; the first
 * such failure in input order is thrown.
 */
async function scanChunks(
  chunks: readonly AdtsChunk[],
  names: readonly string[],
  signal: AbortSignal | undefined,
): Promise<ScannedChunk[]> {
  const results = new Array<PromiseSettledResult<ScannedChunk>>(chunks.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < chunks.length && !failed) {
      const index = next++;
      const chunk = chunks[index] as AdtsChunk;
      try {
        results[index] = {
          status: 'fulfilled',
          value: await scanChunk(chunk, names[index] as string, signal),
        };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
        failed = true; // stop taking new chunks; the ones in flight finish
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SCAN_CONCURRENCY, chunks.length) }, worker));
  const scanned: ScannedChunk[] = [];
  for (const result of results) {
    if (result === undefined) continue; // not scanned: an earlier chunk failed
    if (result.status === 'rejected') throw result.reason;
    scanned.push(result.value);
  }
  return scanned;
}

async function scanChunk(
  chunk: AdtsChunk,
  name: string,
  signal: AbortSignal | undefined,
): Promise<ScannedChunk> {
  let size: number;
  try {
    size = (await stat(chunk.file)).size;
  } catch (cause) {
    throw new MuxError(MuxErrorCode.AacInvalid, `${name}: cannot read (${(cause as Error).message})`, {
      file: chunk.file,
      cause,
    });
  }
  if (size === 0) {
    return {
      info: undefined,
      damage: { reason: AudioDamageReason.Empty, description: `${name}: empty (0 bytes)` },
    };
  }
  try {
    const info = await readAdtsInfo(chunk.file, { name, signal });
    return {
      info,
      damage: info.cut && { reason: info.cut.reason, description: `${name}: ${info.cut.what}` },
    };
  } catch (error) {
    if (error instanceof MuxError && error.code === MuxErrorCode.AacInvalid && !signal?.aborted) {
      return {
        info: undefined,
        damage: { reason: AudioDamageReason.Unreadable, description: error.message },
      };
    }
    throw error;
  }
}

/** The damage of every chunk on the timeline the plan made, with its warning text. */
function damageOf(
  chunks: readonly AdtsChunk[],
  names: readonly string[],
  scanned: readonly ScannedChunk[],
  readable: readonly { info: AdtsInfo; index: number }[],
  plan: AdtsTimelinePlan,
  sampleRate: number,
  window: { start: number; end: number } | undefined,
): AudioDamage[] {
  const frameSeconds = AAC_FRAME_SAMPLES / sampleRate;
  const starts = chunks.map((chunk) => chunk.startTime);
  const placedEnd = new Map<number, number>();
  for (const placement of plan.placements) {
    const index = readable[placement.chunk]?.index;
    if (index !== undefined)
      placedEnd.set(index, plan.origin + (placement.at + placement.frames) * frameSeconds);
  }
  const damaged: AudioDamage[] = [];
  for (const [index, { damage }] of scanned.entries()) {
    if (damage === undefined) continue;
    const startTime = (chunks[index] as AdtsChunk).startTime;
    const range = damageRange({
      lostFrom: placedEnd.get(index) ?? startTime,
      startTime,
      nominalEnd: undefined,
      starts,
      window,
    });
    const action =
      damage.reason === AudioDamageReason.Empty || damage.reason === AudioDamageReason.Unreadable
        ? 'skipped'
        : 'used the frames before it';
    damaged.push({
      ...range,
      source: names[index] as string,
      reason: damage.reason,
      message: `${damage.description}; ${action}, ${formatSeconds(rangeDuration(range))} of the timeline lost`,
    });
  }
  return damaged;
}

const damageWarning: Record<AudioDamageReason, MuxWarningCode> = {
  [AudioDamageReason.Empty]: MuxWarningCode.ChunkEmpty,
  [AudioDamageReason.Unreadable]: MuxWarningCode.ChunkUnreadable,
  [AudioDamageReason.Truncated]: MuxWarningCode.AacTruncated,
  [AudioDamageReason.Excess]: MuxWarningCode.AacCut,
  [AudioDamageReason.Invalid]: MuxWarningCode.AacCut,
};

/** Copies the frames of a chunk, which fill bytes [dataOffset, dataOffset + bytes) back to back. */
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
        const at = info.dataOffset + position + filled;
        const { bytesRead } = await input.read(block, filled, block.length - filled, at);
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
  new MuxError(MuxErrorCode.AacInvalid, `${info.name}: changed while being read: ${detail}`, {
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
