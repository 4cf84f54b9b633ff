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
import { expectWindow } from '../expectWindow.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { encodeWavHeader, maxWavDataBytes } from '../wav/encodeWavHeader.js';
import { readWavInfo, type WavInfo } from '../wav/readWavInfo.js';
import { describeWavFormat, sameWavFormat, silenceByte, type WavFormat } from '../wav/WavFormat.js';
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
}

export interface PlanWavJoinOptions {
  chunks: readonly WavChunk[];
  /** Cut to [start, end) (timeline seconds); without it, from the first chunk start to the last chunk end. */
  window?: { start: number; end: number };
  /** Throw `AUDIO_GAP` instead of filling gaps with silence. */
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
  gaps: AudioGap[];
  /** Resolved in favour of the later chunk. */
  overlaps: AudioOverlap[];
  silenceSeconds: number;
  /** One entry per kind, with its count (the first occurrence's message and file). */
  warnings: RecWarning[];
}

export interface JoinWavResult extends Omit<WavJoin, 'read' | 'name'> {
  output: string;
}

const BLOCK_BYTES = 1 << 20;
const HEADER_READS = 32;

/**
 * Places PCM WAV chunks on the recording timeline, without writing anything:
 * each chunk is placed at round((startTime - window.start) * sampleRate),
 * gaps are filled with silence of exactly their length (or rejected when
 * `strict`), overlaps keep the later chunk, and the result is cut
 * sample-exact to the window. Every chunk's header is checked up front (one
 * PCM format for all, else `WAV_FORMAT_MISMATCH` naming both files); the
 * samples are read from the chunks when `read` is iterated.
 */
export async function planWavJoin(options: PlanWavJoinOptions): Promise<WavJoin> {
  const { chunks, window, signal } = options;
  if (chunks.length === 0 && window === undefined) {
    throw new MuxError(MuxErrorCode.NoInput, 'joinWav: `chunks` is empty and no `window` was given');
  }
  if (window !== undefined) expectWindow(window);
  for (const [index, chunk] of chunks.entries()) expectNumber(`chunks[${index}].startTime`, chunk.startTime);
  signal?.throwIfAborted();

  // Headers are read HEADER_READS at a time: one after the other, each waits
  // behind whatever else the libuv pool is doing (downloads, in the recorder).
  const infos: WavInfo[] = [];
  for (let at = 0; at < chunks.length; at += HEADER_READS) {
    signal?.throwIfAborted();
    const batch = chunks.slice(at, at + HEADER_READS);
    infos.push(...(await Promise.all(batch.map((chunk) => readWavInfo(chunk.file)))));
  }
  for (const info of infos) {
    const first = infos[0] as WavInfo;
    if (!sameWavFormat(first.format, info.format)) {
      throw new MuxError(
        MuxErrorCode.WavFormatMismatch,
        `WAV chunks differ in format: ${first.file} is ${describeWavFormat(first.format)}, ` +
          `${info.file} is ${describeWavFormat(info.format)}`,
        { file: info.file },
      );
    }
  }
  const first = infos[0];
  if (first === undefined) {
    throw new MuxError(
      MuxErrorCode.NoInput,
      'joinWav: `chunks` is empty: no audio format to write silence in',
    );
  }
  const format = first.format;
  const warnings = new WarningLog();
  for (const info of infos) warnings.merge(info.warnings);

  const plan = planAudioTimeline({
    chunks: chunks.map((chunk, i) => ({ ...chunk, frames: infos[i]?.frames ?? 0 })),
    sampleRate: format.sampleRate,
    window,
  });
  warnings.merge(unusedChunkWarnings(chunks, plan.unused, 'samples'));
  if (options.strict && plan.gaps.length > 0) {
    const list = plan.gaps.map((gap) => `${gap.seconds.toFixed(6)} s at ${gap.at}`).join(', ');
    throw new MuxError(
      MuxErrorCode.AudioGap,
      `audio has ${plan.gaps.length} gap(s) and strict mode is on: ${list}`,
    );
  }
  const silenceFrames = plan.gaps.reduce((sum, gap) => sum + gap.frames, 0);
  const offsets: number[] = [];
  let at = 0;
  for (const piece of plan.pieces) {
    offsets.push(at);
    at += piece.frames;
  }
  return {
    format,
    samples: plan.frames,
    durationSeconds: plan.frames / format.sampleRate,
    gaps: plan.gaps,
    overlaps: plan.overlaps,
    silenceSeconds: silenceFrames / format.sampleRate,
    warnings: warnings.list(),
    name: chunks.length === 1 ? (chunks[0]?.file ?? '') : `${chunks.length} WAV chunks`,
    read: (from, to, readSignal) => readPieces(plan.pieces, offsets, infos, format, from, to, readSignal),
  };
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
  const { read: _read, name: _name, ...result } = join;
  return { output, ...result };
}

/**
 * The joined samples [from, to) (sample frames), in blocks of at most
 * 1 MiB. Each block is a fresh buffer (a consumer may hold it), except
 * silence, which shares one read-only block.
 */
async function* readPieces(
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
            `${info.file}: shrank while being read (at byte ${position + bytesRead})`,
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
