import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { expectInteger, makeProgress, type ProgressListener, ProgressUnit } from '@rec/core';
import { partPath, withAtomicFile } from '@rec/core/node';
import { type AdtsFrame, readAdts } from '@rec/es-ts';
import { type PcmSource, wavFileSource } from '../audio/PcmSource.js';
import { asDiskFull } from '../diskFull.js';
import { runFfmpeg } from '../ffmpeg/runFfmpeg.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { readWavInfo } from '../wav/readWavInfo.js';
import type { WavFormat } from '../wav/WavFormat.js';
import { AAC_PRIMING_SAMPLES, type AacChunk, planAacChunks } from './planAacChunks.js';

export interface EncodeAacOptions {
  /** A PCM WAV file, or samples joined on the fly (`planWavJoin`): no joined file is needed. */
  wav: string | PcmSource;
  /**
   * ADTS file; written to `<output>.part` (and the encoders' chunks to
   * `<output>.part.<n>.aac`), renamed when complete. Part files a killed run
   * left are overwritten.
   */
  output: string;
  /** AAC bitrate, e.g. `128k` (default: 128k up to stereo, 64k per channel above). */
  bitrate?: string;
  /** Encoders run at once (default: `os.availableParallelism()`). */
  parallelism?: number;
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** Seconds of audio encoded, out of the WAV's duration. */
  onProgress?: ProgressListener;
}

export interface EncodeAacResult {
  output: string;
  /** ADTS frames written (1024 samples each), the priming frame included. */
  frames: number;
  sampleRate: number;
  channels: number;
  /**
   * Samples before the WAV's first sample: the first frame's PTS is
   * `-primingSamples`. A player skips them (an MP4 edit list says so).
   */
  primingSamples: number;
  /** Sample frames of the WAV. */
  samples: number;
  bitrate: string;
  /** Encoder processes that ran (one per chunk). */
  chunks: number;
  bytes: number;
  /** Wall-clock seconds the encode took. */
  seconds: number;
}

const WRITE_BATCH_BYTES = 1 << 20;

/**
 * Encodes a PCM WAV to AAC-LC in ADTS with ffmpeg's native encoder, split
 * across cores: the audio is cut into one chunk per core on the 1024-sample
 * frame grid (see `planAacChunks`), each chunk is fed raw to its own ffmpeg,
 * and the frames each chunk owns are concatenated in order. The result is one
 * stream with a single encoder's frame grid and priming (first frame at
 * PTS -1024), so it stream-copies into MP4/TS like a single encode.
 *
 * AAC encoding is most of the CPU time of a recording (about 7.8 s for 420 s
 * of 48 kHz stereo on one core here); two cores halve it.
 */
export async function encodeAac(options: EncodeAacOptions): Promise<EncodeAacResult> {
  const { output, signal, onProgress } = options;
  const started = performance.now();
  const parallelism =
    options.parallelism === undefined
      ? availableParallelism()
      : expectInteger('parallelism', options.parallelism, 1);
  signal?.throwIfAborted();
  const pcm = typeof options.wav === 'string' ? wavFileSource(await readWavInfo(options.wav)) : options.wav;
  const { format, samples } = pcm;
  if (samples === 0) {
    throw new MuxError(MuxErrorCode.NoInput, `${pcm.name}: no samples to encode`, { file: pcm.name });
  }
  const bitrate = options.bitrate ?? defaultAacBitrate(format.channels);
  const chunks = planAacChunks({ samples, sampleRate: format.sampleRate, parallelism });
  // Next to the part file, so they are on its file system and a re-run finds (and overwrites) them.
  const chunkFile = (index: number) => `${output}.part.${index}.aac`;

  // One failing encoder stops the others.
  const controller = new AbortController();
  const stop = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', stop, { once: true });
  const done = new Array<number>(chunks.length).fill(0);
  const totalSeconds = samples / format.sampleRate;
  try {
    const runs = chunks.map((chunk, index) =>
      runFfmpeg({
        inputs: [
          {
            source: Readable.from(pcm.read(chunk.inputFrom, chunk.inputTo, controller.signal), {
              objectMode: false,
            }),
            options: ['-f', rawPcmFormat(format), '-ar', `${format.sampleRate}`, '-ac', `${format.channels}`],
          },
        ],
        outputs: [
          {
            target: `file:${chunkFile(index)}`,
            options: ['-c:a', 'aac', '-b:a', bitrate, '-f', 'adts'],
          },
        ],
        // -y: a chunk file a killed run left is ours to overwrite.
        globalOptions: ['-y'],
        ffmpegPath: options.ffmpegPath,
        signal: controller.signal,
        onProgress: (progress) => {
          // Seconds of this chunk's own share encoded (its pre-roll is not progress).
          const preroll = (Math.max(0, chunk.keepFrom) - chunk.inputFrom) / format.sampleRate;
          const share = (Math.min(chunk.keepTo, samples) - Math.max(0, chunk.keepFrom)) / format.sampleRate;
          done[index] = Math.min(share, Math.max(0, progress.transferred - preroll));
          onProgress?.(
            makeProgress(
              done.reduce((sum, seconds) => sum + seconds, 0),
              totalSeconds,
              ProgressUnit.Seconds,
            ),
          );
        },
      }).catch((error: unknown) => {
        controller.abort(error);
        throw error;
      }),
    );
    const settled = await Promise.allSettled(runs);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw signal?.aborted ? signal.reason : failed.reason;

    const written = await withAtomicFile(output, (part) =>
      concatenateChunks(chunks, chunkFile, part, signal),
    );
    onProgress?.(makeProgress(totalSeconds, totalSeconds, ProgressUnit.Seconds));
    return {
      output,
      frames: written.frames,
      sampleRate: format.sampleRate,
      channels: format.channels,
      primingSamples: AAC_PRIMING_SAMPLES,
      samples,
      bitrate,
      chunks: chunks.length,
      bytes: written.bytes,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    // Whatever an abort broke on the way (a killed encoder, a closed pipe), the caller gets its reason.
    throw signal?.aborted ? signal.reason : asDiskFull(error, partPath(output));
  } finally {
    signal?.removeEventListener('abort', stop);
    await Promise.all(chunks.map((_, index) => rm(chunkFile(index), { force: true })));
  }
}

/** 128k up to stereo, 64k per channel above (5.1 -> 384k). */
export function defaultAacBitrate(channels: number): string {
  return channels <= 2 ? '128k' : `${64 * channels}k`;
}

/** ffmpeg's raw PCM demuxer for a WAV's sample format. */
function rawPcmFormat(format: WavFormat): string {
  return format.bitsPerSample === 8 ? 'u8' : `s${format.bitsPerSample}le`;
}

/**
 * Writes, in order, the frames each chunk owns. Frame j of a chunk has PTS
 * `inputFrom - 1024 + 1024 * j` (samples): the encoder's priming frame, then
 * one frame per 1024 input samples, then its flush frame.
 */
async function concatenateChunks(
  chunks: readonly AacChunk[],
  chunkFile: (index: number) => string,
  target: string,
  signal: AbortSignal | undefined,
): Promise<{ frames: number; bytes: number }> {
  // 'w': truncates a part file a killed run left.
  const handle = await open(target, 'w');
  let frames = 0;
  let bytes = 0;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batchBytes === 0) return;
    await handle.write(Buffer.concat(batch, batchBytes));
    bytes += batchBytes;
    batch = [];
    batchBytes = 0;
  };
  try {
    for (const [index, chunk] of chunks.entries()) {
      signal?.throwIfAborted();
      const file = chunkFile(index);
      const produced = Math.ceil((chunk.inputTo - chunk.inputFrom) / AAC_PRIMING_SAMPLES) + 1;
      let frame = 0;
      const adts: AsyncGenerator<AdtsFrame> = readAdts(createReadStream(file), { source: file });
      for await (const { bytes: data } of adts) {
        const pts = chunk.inputFrom - AAC_PRIMING_SAMPLES + frame * AAC_PRIMING_SAMPLES;
        frame += 1;
        if (pts < chunk.keepFrom || pts >= chunk.keepTo) continue;
        // The reader may reuse its buffers: keep a copy until the batch is written.
        batch.push(Uint8Array.prototype.slice.call(data));
        batchBytes += data.length;
        frames += 1;
        if (batchBytes >= WRITE_BATCH_BYTES) await flush();
      }
      if (frame < produced) {
        throw new MuxError(
          MuxErrorCode.FfmpegFailed,
          `${file}: the AAC encoder wrote ${frame} frames for ${chunk.inputTo - chunk.inputFrom} samples, expected ${produced} (1024 each plus its priming frame)`,
          { file },
        );
      }
    }
    await flush();
  } finally {
    await handle.close();
  }
  return { frames, bytes };
}
