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
import { asDiskFull } from '../diskFull.js';
import { expectWindow } from '../expectWindow.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { MuxWarningCode } from '../MuxWarningCode.js';
import { encodeWavHeader, maxWavDataBytes } from '../wav/encodeWavHeader.js';
import { readWavInfo, type WavInfo } from '../wav/readWavInfo.js';
import { describeWavFormat, sameWavFormat, silenceByte, type WavFormat } from '../wav/WavFormat.js';
import {
  type AudioDamage,
  AudioDamageReason,
  type ChunkDamage,
  damageRange,
  formatSeconds,
} from './AudioDamage.js';
import type { PcmSource } from './PcmSource.js';
import {
  type AudioGap,
  type AudioOverlap,
  planAudioTimeline,
  type TimelinePiece,
} from './planAudioTimeline.js';
import { unusedChunkWarnings } from './unusedChunkWarnings.js';

export interface WavChunk {
  file: string;
  /** Timeline seconds of the chunk's first sample (the epoch in its file name). */
  startTime: number;
  /** What warnings, errors and reports call it (the recorder gives the S3 key); default `file`. */
  name?: string;
  /**
   * The file's size when known before the file is there (a listing's):
   * bounds how far the chunk can reach, so that `streamWavJoin` reads the
   * samples after it without waiting for it. Ignored once the file is read.
   */
  bytes?: number;
}

export interface PlanWavJoinOptions {
  chunks: readonly WavChunk[];
  /** Cut to [start, end) (timeline seconds); without it, from the first chunk start to the last chunk end. */
  window?: { start: number; end: number };
  /**
   * Fail instead of recovering: a gap is `AUDIO_GAP`, a damaged chunk
   * (empty, unreadable, header and size disagreeing) `WAV_INVALID` naming
   * it. Default false: silence for gaps, damaged chunks skipped or cut with
   * a warning and listed in `damaged`.
   */
  strict?: boolean;
  signal?: AbortSignal;
}

export interface JoinWavOptions extends PlanWavJoinOptions {
  /** Path of the joined WAV; written to `<output>.part` (a stale one is overwritten), renamed when complete. */
  output: string;
  /** Seconds of output written, out of the output duration. */
  onProgress?: ProgressListener;
}

/**
 * The joined audio without the joined file: what `joinWav` would write,
 * readable by sample range (`encodeAac` takes it as its input).
 */
export interface WavJoin extends PcmSource {
  durationSeconds: number;
  /** Silence in the output: missing chunks, damaged ones, the window beyond the chunks. */
  gaps: AudioGap[];
  /** Resolved in favour of the later chunk. */
  overlaps: AudioOverlap[];
  /** Damaged chunks, in input order, with the part of the timeline each cost (see `AudioDamage`). */
  damaged: AudioDamage[];
  silenceSeconds: number;
  /** One entry per kind, with its count (the first occurrence's message and chunk name). */
  warnings: RecWarning[];
}

export interface JoinWavResult extends Omit<WavJoin, 'read' | 'name'> {
  output: string;
}

const BLOCK_BYTES = 1 << 20;
/** Chunk headers read at once. */
export const HEADER_READS = 32;

/** A chunk's header as read: its info unless skipped, and what is wrong with it. */
export interface InspectedChunk {
  info: WavInfo | undefined;
  damage: ChunkDamage | undefined;
}

/**
 * Places PCM WAV chunks on the recording timeline, without writing anything:
 * each chunk is placed at round((startTime - window.start) * sampleRate),
 * gaps are filled with silence of exactly their length (or rejected when
 * `strict`), overlaps keep the later chunk, and the result is cut
 * sample-exact to the window. Every chunk's header is checked up front (one
 * PCM format for all, else `WAV_FORMAT_MISMATCH` naming both chunks); the
 * samples are read from the chunks when `read` is iterated.
 *
 * Damaged chunks (unless `strict`): an empty or unreadable one (not a
 * RIFF/WAVE file, not integer PCM) is skipped; one whose data chunk
 * announces more bytes than the file holds is used for the bytes that
 * exist; one whose data chunk announces fewer bytes than follow it (and
 * what follows is no RIFF chunk) is used for what its header claims, the
 * rest ignored. Each is a warning naming the chunk and the seconds lost,
 * and an entry of `damaged`. When no chunk is readable there is no format
 * to write silence in: `MUX_NO_INPUT` naming the first.
 */
export async function planWavJoin(options: PlanWavJoinOptions): Promise<WavJoin> {
  const { chunks, signal } = options;
  const names = checkJoinOptions(options);
  // Headers are read HEADER_READS at a time: one after the other, each waits
  // behind whatever else the libuv pool is doing (downloads, in the recorder).
  const inspected: InspectedChunk[] = [];
  for (let at = 0; at < chunks.length; at += HEADER_READS) {
    signal?.throwIfAborted();
    const batch = chunks.slice(at, at + HEADER_READS);
    inspected.push(
      ...(await Promise.all(batch.map((chunk, i) => inspectWavChunk(chunk, names[at + i] as string)))),
    );
  }
  const format = checkInspected(chunks, inspected, options.strict);
  return planInspected(options, names, inspected, format);
}

/** The names of the chunks; throws for options `planWavJoin` and `streamWavJoin` refuse. */
export function checkJoinOptions(options: PlanWavJoinOptions): string[] {
  const { chunks, window, signal } = options;
  if (chunks.length === 0 && window === undefined) {
    throw new MuxError(MuxErrorCode.NoInput, 'joinWav: `chunks` is empty and no `window` was given');
  }
  if (window !== undefined) expectWindow(window);
  for (const [index, chunk] of chunks.entries()) expectNumber(`chunks[${index}].startTime`, chunk.startTime);
  signal?.throwIfAborted();
  return chunks.map((chunk) => chunk.name ?? chunk.file);
}

/** Refuses a damaged chunk when strict. */
export function checkDamage(
  chunk: WavChunk | undefined,
  { damage }: InspectedChunk,
  strict: boolean | undefined,
) {
  if (damage !== undefined && strict) {
    throw new MuxError(
      MuxErrorCode.WavInvalid,
      `${damage.description} (strict: a damaged chunk fails the join)`,
      {
        file: chunk?.file,
      },
    );
  }
}

/** Refuses a chunk whose format is not the first readable one's. */
export function checkFormat(first: WavInfo, info: WavInfo) {
  if (!sameWavFormat(first.format, info.format)) {
    throw new MuxError(
      MuxErrorCode.WavFormatMismatch,
      `WAV chunks differ in format: ${first.name} is ${describeWavFormat(first.format)}, ` +
        `${info.name} is ${describeWavFormat(info.format)}`,
      { file: info.file },
    );
  }
}

/** The error when no chunk is readable: there is no format to write silence in. */
export function noReadableChunk(inspected: readonly InspectedChunk[]): MuxError {
  const damaged = inspected.flatMap(({ damage }) => (damage === undefined ? [] : [damage]));
  return new MuxError(
    MuxErrorCode.NoInput,
    damaged[0] === undefined
      ? 'joinWav: `chunks` is empty: no audio format to write silence in'
      : `no readable WAV chunk, no audio format to write silence in: ${damaged[0].description}` +
          (damaged.length > 1 ? ` (and ${damaged.length - 1} more damaged)` : ''),
  );
}

/** Checks every header (strict damage, one format): the format of the join. */
function checkInspected(
  chunks: readonly WavChunk[],
  inspected: readonly InspectedChunk[],
  strict: boolean | undefined,
): WavFormat {
  for (const [index, chunk] of inspected.entries()) checkDamage(chunks[index], chunk, strict);
  const readable = inspected.flatMap(({ info }) => (info === undefined ? [] : [info]));
  const first = readable[0];
  if (first === undefined) throw noReadableChunk(inspected);
  for (const info of readable) checkFormat(first, info);
  return first.format;
}

/** The join of chunks whose headers are all read and checked (`checkInspected`). */
export function planInspected(
  options: PlanWavJoinOptions,
  names: readonly string[],
  inspected: readonly InspectedChunk[],
  format: WavFormat,
): WavJoin {
  const { chunks, window } = options;
  const readable = inspected.flatMap(({ info }, index) => (info === undefined ? [] : [{ info, index }]));
  const warnings = new WarningLog();
  for (const { info } of readable) {
    // The damage warnings below say the same with the time lost on the timeline.
    warnings.merge(
      info.warnings.filter(
        (w) => w.code !== MuxWarningCode.WavTruncated && w.code !== MuxWarningCode.WavExcessData,
      ),
    );
  }

  const timelineChunks = readable.map(({ info, index }) => ({
    name: info.name,
    startTime: (chunks[index] as WavChunk).startTime,
    frames: info.frames,
  }));
  const plan = planAudioTimeline({ chunks: timelineChunks, sampleRate: format.sampleRate, window });
  const starts = chunks.map((chunk) => chunk.startTime);
  const damaged: AudioDamage[] = [];
  for (const [index, { info, damage }] of inspected.entries()) {
    if (damage === undefined) continue;
    const startTime = (chunks[index] as WavChunk).startTime;
    const range = damageRange({
      lostFrom: startTime + (info?.frames ?? 0) / format.sampleRate,
      startTime,
      nominalEnd: damage.nominalEnd,
      starts,
      window,
    });
    const message = `${damage.description}; ${damageAction[damage.reason]}, ${formatSeconds(rangeDuration(range))} of the timeline lost`;
    damaged.push({ ...range, source: names[index] as string, reason: damage.reason, message });
    warnings.add(damageWarning[damage.reason], message, { source: names[index] });
  }
  warnings.merge(unusedChunkWarnings(timelineChunks, plan.unused, 'samples'));
  if (options.strict && plan.gaps.length > 0) {
    const list = plan.gaps.map((gap) => `${gap.seconds.toFixed(6)} s at ${gap.at}`).join(', ');
    throw new MuxError(
      MuxErrorCode.AudioGap,
      `audio has ${plan.gaps.length} gap(s) and strict mode is on: ${list}`,
    );
  }
  const silenceFrames = plan.gaps.reduce((sum, gap) => sum + gap.frames, 0);
  const offsets = pieceOffsets(plan.pieces);
  const infos = readable.map(({ info }) => info);
  return {
    format,
    samples: plan.frames,
    durationSeconds: plan.frames / format.sampleRate,
    gaps: plan.gaps,
    overlaps: plan.overlaps,
    damaged,
    silenceSeconds: silenceFrames / format.sampleRate,
    warnings: warnings.list(),
    name: joinName(chunks, names),
    read: (from, to, readSignal) => readPieces(plan.pieces, offsets, infos, format, from, to, readSignal),
  };
}

const joinName = (chunks: readonly WavChunk[], names: readonly string[]) =>
  chunks.length === 1 ? (names[0] ?? '') : `${chunks.length} WAV chunks`;

/** Output frame of each piece's first frame. */
export function pieceOffsets(pieces: readonly TimelinePiece[]): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const piece of pieces) {
    offsets.push(at);
    at += piece.frames;
  }
  return offsets;
}

/** What the join does with a damaged chunk, as its warning says. */
const damageAction: Record<AudioDamageReason, string> = {
  [AudioDamageReason.Empty]: 'skipped',
  [AudioDamageReason.Unreadable]: 'skipped',
  [AudioDamageReason.Truncated]: 'used the samples that exist',
  [AudioDamageReason.Excess]: 'used what the header claims, ignored the rest',
  [AudioDamageReason.Invalid]: 'cut there',
};

const damageWarning: Record<AudioDamageReason, MuxWarningCode> = {
  [AudioDamageReason.Empty]: MuxWarningCode.ChunkEmpty,
  [AudioDamageReason.Unreadable]: MuxWarningCode.ChunkUnreadable,
  [AudioDamageReason.Truncated]: MuxWarningCode.WavTruncated,
  [AudioDamageReason.Excess]: MuxWarningCode.WavExcessData,
  [AudioDamageReason.Invalid]: MuxWarningCode.ChunkUnreadable,
};

/**
 * Reads one chunk's header. A file that cannot be read at all (missing,
 * no permission) is an error, not damaged media: `WAV_INVALID` naming it.
 */
export async function inspectWavChunk(chunk: WavChunk, name: string): Promise<InspectedChunk> {
  let size: number;
  try {
    size = (await stat(chunk.file)).size;
  } catch (cause) {
    throw new MuxError(MuxErrorCode.WavInvalid, `${name}: cannot read (${(cause as Error).message})`, {
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
  let info: WavInfo;
  try {
    info = await readWavInfo(chunk.file, { name });
  } catch (error) {
    if (error instanceof MuxError && error.code === MuxErrorCode.WavInvalid) {
      return {
        info: undefined,
        damage: { reason: AudioDamageReason.Unreadable, description: error.message },
      };
    }
    throw error;
  }
  const { format } = info;
  const secondsOf = (bytes: number) => Math.floor(bytes / format.blockAlign) / format.sampleRate;
  if (info.missingBytes > 0) {
    return {
      info,
      damage: {
        reason: AudioDamageReason.Truncated,
        description:
          `${name}: data chunk announces ${info.declaredDataBytes} bytes (${formatSeconds(secondsOf(info.declaredDataBytes))}) ` +
          `but the file holds ${info.fileSize - info.dataOffset} (${formatSeconds(info.durationSeconds)})`,
        nominalEnd: chunk.startTime + secondsOf(info.declaredDataBytes),
      },
    };
  }
  if (info.excessBytes >= format.blockAlign) {
    return {
      info,
      damage: {
        reason: AudioDamageReason.Excess,
        description:
          `${name}: data chunk announces ${info.declaredDataBytes} bytes (${formatSeconds(info.durationSeconds)}) ` +
          `but ${info.excessBytes} more bytes (${formatSeconds(secondsOf(info.excessBytes))}) follow it that are no RIFF chunk`,
        nominalEnd: chunk.startTime + info.durationSeconds + secondsOf(info.excessBytes),
      },
    };
  }
  return { info, damage: undefined };
}

/**
 * Joins PCM WAV chunks on the recording timeline into one WAV file (see
 * `planWavJoin` for the placement rules). Streams in 1 MiB blocks: memory
 * does not grow with the input. A RIFF WAV holds at most 4 GiB of samples
 * (`WAV_TOO_LARGE`); `planWavJoin` + `encodeAac` has no such limit.
 */
export async function joinWav(options: JoinWavOptions): Promise<JoinWavResult> {
  const { signal, onProgress, output } = options;
  const join = await planWavJoin(options);
  const { format } = join;
  const dataBytes = join.samples * format.blockAlign;
  if (dataBytes > maxWavDataBytes(format)) {
    throw new MuxError(
      MuxErrorCode.WavTooLarge,
      `joined WAV would hold ${dataBytes} bytes of samples (${join.durationSeconds.toFixed(1)} s of ` +
        `${describeWavFormat(format)}); a RIFF WAV holds at most ${maxWavDataBytes(format)} (4 GiB). Use a shorter window.`,
    );
  }
  try {
    await withAtomicFile(output, async (part) => {
      let written = 0;
      // 'w': truncates a part file a killed run left.
      const out = await open(part, 'w');
      try {
        await writeAll(out, encodeWavHeader(format, dataBytes));
        for await (const block of join.read(0, join.samples, signal)) {
          await writeAll(out, block);
          written += block.length;
          onProgress?.(
            makeProgress(
              written / format.blockAlign / format.sampleRate,
              join.durationSeconds,
              ProgressUnit.Seconds,
            ),
          );
        }
        // RIFF chunks are padded to an even size (the pad byte is not counted in ckSize).
        if (dataBytes % 2 === 1) await writeAll(out, new Uint8Array(1));
      } finally {
        await out.close();
      }
    });
  } catch (error) {
    throw signal?.aborted ? signal.reason : asDiskFull(error, partPath(output));
  }
  const { read: _read, name: _name, ...result } = join;
  return { output, ...result };
}

/**
 * The joined samples [from, to) (sample frames), in blocks of at most
 * 1 MiB. Each block is a fresh buffer (a consumer may hold it), except
 * silence, which shares one read-only block.
 */
export async function* readPieces(
  pieces: readonly TimelinePiece[],
  offsets: readonly number[],
  infos: readonly WavInfo[],
  format: WavFormat,
  from: number,
  to: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  const blockFrames = Math.max(1, Math.floor(BLOCK_BYTES / format.blockAlign));
  let silence: Uint8Array | undefined;
  for (const [index, piece] of pieces.entries()) {
    const pieceStart = offsets[index] ?? 0;
    const first = Math.max(from, pieceStart);
    const last = Math.min(to, pieceStart + piece.frames);
    if (first >= last) continue;
    if (piece.kind === 'silence') {
      silence ??= new Uint8Array(blockFrames * format.blockAlign).fill(silenceByte(format));
      for (let frame = first; frame < last; frame += blockFrames) {
        signal?.throwIfAborted();
        yield silence.subarray(0, Math.min(blockFrames, last - frame) * format.blockAlign);
      }
      continue;
    }
    const info = infos[piece.chunk] as WavInfo;
    const input = await open(info.file, 'r');
    try {
      let position = info.dataOffset + (piece.fromFrame + first - pieceStart) * format.blockAlign;
      let remaining = (last - first) * format.blockAlign;
      while (remaining > 0) {
        signal?.throwIfAborted();
        const block = new Uint8Array(Math.min(remaining, blockFrames * format.blockAlign));
        const { bytesRead } = await input.read(block, 0, block.length, position);
        if (bytesRead < block.length) {
          throw new MuxError(
            MuxErrorCode.WavInvalid,
            `${info.name}: shrank while being read (at byte ${position + bytesRead})`,
            { file: info.file },
          );
        }
        yield block;
        position += bytesRead;
        remaining -= bytesRead;
      }
    } finally {
      await input.close();
    }
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}
