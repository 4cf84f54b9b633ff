import { type FileHandle, open } from 'node:fs/promises';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { commitPart, discardPart, partPath } from '../output/partFile.js';
import { throwIfAborted } from '../output/throwIfAborted.js';
import { makeProgress, type ProgressListener, ProgressUnit } from '../types/MuxProgress.js';
import { type MuxWarning, MuxWarningCode } from '../types/MuxWarning.js';
import { encodeWavHeader, maxWavDataBytes } from '../wav/encodeWavHeader.js';
import { readWavInfo, type WavInfo } from '../wav/readWavInfo.js';
import { describeWavFormat, sameWavFormat, silenceByte, type WavFormat } from '../wav/WavFormat.js';
import { type AudioGap, type AudioOverlap, planAudioTimeline } from './planAudioTimeline.js';

export interface WavChunk {
  file: string;
  /** Timeline seconds of the chunk's first sample (the epoch in its file name). */
  startTime: number;
}

export interface JoinWavOptions {
  chunks: readonly WavChunk[];
  /** Cut to [start, end) (timeline seconds); without it, from the first chunk start to the last chunk end. */
  window?: { start: number; end: number };
  /** Throw `AUDIO_GAP` instead of filling gaps with silence. */
  strict?: boolean;
  /** Path of the joined WAV; written to `<output>.part`, renamed when complete. */
  output: string;
  signal?: AbortSignal;
  /** Seconds of output written, out of the output duration. */
  onProgress?: ProgressListener;
}

export interface JoinWavResult {
  output: string;
  format: WavFormat;
  /** Sample frames in the output. */
  samples: number;
  durationSeconds: number;
  gaps: AudioGap[];
  /** Resolved in favour of the later chunk. */
  overlaps: AudioOverlap[];
  silenceSeconds: number;
  warnings: MuxWarning[];
}

const BLOCK_BYTES = 1 << 20;

/**
 * Joins PCM WAV chunks on the recording timeline into one WAV: each chunk is
 * placed at round((startTime - window.start) * sampleRate), gaps are filled
 * with silence of exactly their length (or rejected when `strict`),
 * overlaps keep the later chunk, and the result is cut sample-exact to the
 * window. Streams in 1 MiB blocks: memory does not grow with the input.
 */
export async function joinWav(options: JoinWavOptions): Promise<JoinWavResult> {
  const { chunks, window, signal, onProgress, output } = options;
  if (chunks.length === 0 && window === undefined) {
    throw new MuxError(MuxErrorCode.NoInput, 'joinWav: `chunks` is empty and no `window` was given');
  }
  if (window !== undefined && !(window.end > window.start)) {
    throw new MuxError(
      MuxErrorCode.InvalidOptions,
      `joinWav: expected \`window.end\` to be after \`window.start\`, got [${window.start}, ${window.end})`,
    );
  }
  throwIfAborted(signal);

  const infos: WavInfo[] = [];
  for (const chunk of chunks) {
    if (!Number.isFinite(chunk.startTime)) {
      throw new MuxError(
        MuxErrorCode.InvalidOptions,
        `joinWav: startTime of ${chunk.file} is ${chunk.startTime}`,
        {
          file: chunk.file,
        },
      );
    }
    const info = await readWavInfo(chunk.file);
    const first = infos[0];
    if (first !== undefined && !sameWavFormat(first.format, info.format)) {
      throw new MuxError(
        MuxErrorCode.WavFormatMismatch,
        `WAV chunks differ in format: ${first.file} is ${describeWavFormat(first.format)}, ` +
          `${info.file} is ${describeWavFormat(info.format)}`,
        { file: info.file },
      );
    }
    infos.push(info);
  }
  const first = infos[0];
  if (first === undefined) {
    throw new MuxError(
      MuxErrorCode.NoInput,
      'joinWav: `chunks` is empty: no audio format to write silence in',
    );
  }
  const format = first.format;
  const warnings = infos.flatMap((info) => info.warnings);

  const plan = planAudioTimeline({
    chunks: chunks.map((chunk, i) => ({ ...chunk, frames: infos[i]?.frames ?? 0 })),
    sampleRate: format.sampleRate,
    ...(window ? { window } : {}),
  });
  for (const index of plan.unused) {
    const chunk = chunks[index];
    if (chunk === undefined) continue;
    warnings.push({
      code: MuxWarningCode.ChunkOutsideWindow,
      message: `${chunk.file} (start ${chunk.startTime}) contributes no samples: outside the window or fully overlapped`,
      file: chunk.file,
    });
  }
  if (options.strict && plan.gaps.length > 0) {
    const list = plan.gaps.map((gap) => `${gap.seconds.toFixed(6)} s at ${gap.at}`).join(', ');
    throw new MuxError(
      MuxErrorCode.AudioGap,
      `audio has ${plan.gaps.length} gap(s) and strict mode is on: ${list}`,
    );
  }
  const dataBytes = plan.frames * format.blockAlign;
  if (dataBytes > maxWavDataBytes(format)) {
    throw new MuxError(
      MuxErrorCode.WavTooLarge,
      `joined WAV would hold ${dataBytes} bytes of samples (${(plan.frames / format.sampleRate).toFixed(1)} s of ` +
        `${describeWavFormat(format)}); a RIFF WAV holds at most ${maxWavDataBytes(format)} (4 GiB). Use a shorter window.`,
    );
  }

  const totalSeconds = plan.frames / format.sampleRate;
  let written = 0;
  const advance = (bytes: number) => {
    written += bytes;
    onProgress?.(
      makeProgress(written / format.blockAlign / format.sampleRate, totalSeconds, ProgressUnit.Seconds),
    );
  };
  const out = await open(partPath(output), 'w');
  try {
    await writeAll(out, encodeWavHeader(format, dataBytes));
    const block = new Uint8Array(
      Math.max(format.blockAlign, BLOCK_BYTES - (BLOCK_BYTES % format.blockAlign)),
    );
    let silence: Uint8Array | undefined;
    for (const piece of plan.pieces) {
      let remaining = piece.frames * format.blockAlign;
      if (piece.kind === 'silence') {
        silence ??= new Uint8Array(block.length).fill(silenceByte(format));
        while (remaining > 0) {
          throwIfAborted(signal);
          const length = Math.min(remaining, silence.length);
          await writeAll(out, silence.subarray(0, length));
          remaining -= length;
          advance(length);
        }
        continue;
      }
      const info = infos[piece.chunk] as WavInfo;
      const input = await open(info.file, 'r');
      try {
        let position = info.dataOffset + piece.fromFrame * format.blockAlign;
        while (remaining > 0) {
          throwIfAborted(signal);
          const { bytesRead } = await input.read(block, 0, Math.min(remaining, block.length), position);
          if (bytesRead === 0) {
            throw new MuxError(
              MuxErrorCode.WavInvalid,
              `${info.file}: shrank while being read (at byte ${position})`,
              {
                file: info.file,
              },
            );
          }
          await writeAll(out, block.subarray(0, bytesRead));
          position += bytesRead;
          remaining -= bytesRead;
          advance(bytesRead);
        }
      } finally {
        await input.close();
      }
    }
    // RIFF chunks are padded to an even size (the pad byte is not counted in ckSize).
    if (dataBytes % 2 === 1) await writeAll(out, new Uint8Array(1));
    await out.close();
  } catch (error) {
    await out.close().catch(() => undefined);
    await discardPart(output);
    throw error;
  }
  await commitPart(output);

  const silenceFrames = plan.gaps.reduce((sum, gap) => sum + gap.frames, 0);
  return {
    output,
    format,
    samples: plan.frames,
    durationSeconds: totalSeconds,
    gaps: plan.gaps,
    overlaps: plan.overlaps,
    silenceSeconds: silenceFrames / format.sampleRate,
    warnings,
  };
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}
