import { createReadStream } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { expectInteger, makeProgress, type ProgressListener, ProgressUnit } from '@rec/core';
import { PartWriter, partPath, withAtomicFile } from '@rec/core/node';
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
  /**
   * Called once, as the encoders start, with the ADTS the output file will
   * hold, as it comes: the frames each chunk keeps, read from its encoder's
   * file while the encoder writes it, chunk after chunk (the first chunk's
   * frames flow while every encoder runs; a later chunk's follow once the
   * one before it is done). Reading it is what writes the output file: the
   * caller must read it to its end (`encodeAac` then resolves) or end it
   * early (a `break`, a destroyed stream: `encodeAac` rejects, its encoders
   * are stopped, no output is left). It fails with the encode's failure.
   * So a consumer (the final mux) runs while the encoders finish.
   */
  onStream?: (adts: AsyncIterable<Uint8Array>, format: AacStreamFormat) => void;
}

/** What a stream consumer needs before the first frame. */
export interface AacStreamFormat {
  sampleRate: number;
  channels: number;
  /** Samples before the first input sample: the first frame's PTS is `-primingSamples`. */
  primingSamples: number;
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
  let runs: Promise<unknown>[] = [];
  try {
    // A chunk file a killed run left must not be followed before its encoder truncates it.
    if (options.onStream) await Promise.all(chunks.map((_, index) => rm(chunkFile(index), { force: true })));
    runs = chunks.map((chunk, index) =>
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
    const { onStream } = options;
    const streamFormat = {
      sampleRate: format.sampleRate,
      channels: format.channels,
      primingSamples: AAC_PRIMING_SAMPLES,
    };
    let written: { frames: number; bytes: number };
    if (onStream) {
      for (const run of runs) run.catch(() => {}); // the stream (or the abort) reports them
      written = await withAtomicFile(output, (part) =>
        streamChunks(
          ownedFrames(
            chunks,
            (index) =>
              followEncoderOutput(chunkFile(index), runs[index] as Promise<unknown>, controller.signal),
            chunkFile,
            controller.signal,
          ),
          part,
          (adts) => onStream(adts, streamFormat),
          controller,
        ),
      );
      await Promise.all(runs);
    } else {
      const settled = await Promise.allSettled(runs);
      const failed = settled.find((result) => result.status === 'rejected');
      if (failed) throw signal?.aborted ? signal.reason : failed.reason;
      // The finished chunk files through the same writer, read by nobody else.
      written = await withAtomicFile(output, (part) =>
        streamChunks(
          ownedFrames(chunks, (index) => createReadStream(chunkFile(index)), chunkFile, signal),
          part,
          drain,
          controller,
        ),
      );
    }
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
    // No encoder outlives the call (a stream ended early, a failed concatenation).
    controller.abort(error);
    await Promise.allSettled(runs);
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
 * The frames each chunk owns, in order, each a copy (the reader reuses its
 * buffers). Frame j of a chunk has PTS `inputFrom - 1024 + 1024 * j`
 * (samples): the encoder's priming frame, then one frame per 1024 input
 * samples, then its flush frame.
 */
async function* ownedFrames(
  chunks: readonly AacChunk[],
  bytesOf: (index: number) => AsyncIterable<Uint8Array>,
  chunkFile: (index: number) => string,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  for (const [index, chunk] of chunks.entries()) {
    signal?.throwIfAborted();
    const file = chunkFile(index);
    const produced = Math.ceil((chunk.inputTo - chunk.inputFrom) / AAC_PRIMING_SAMPLES) + 1;
    let frame = 0;
    const adts: AsyncGenerator<AdtsFrame> = readAdts(bytesOf(index), { source: file });
    for await (const { bytes: data } of adts) {
      const pts = chunk.inputFrom - AAC_PRIMING_SAMPLES + frame * AAC_PRIMING_SAMPLES;
      frame += 1;
      if (pts < chunk.keepFrom || pts >= chunk.keepTo) continue;
      yield Uint8Array.prototype.slice.call(data);
    }
    if (frame < produced) {
      throw new MuxError(
        MuxErrorCode.FfmpegFailed,
        `${file}: the AAC encoder wrote ${frame} frames for ${chunk.inputTo - chunk.inputFrom} samples, expected ${produced} (1024 each plus its priming frame)`,
        { file },
      );
    }
  }
}

/** Bytes a stream consumer gets at a time: a few seconds of audio. */
const STREAM_BATCH_BYTES = 64 * 1024;

/** Reads `bytes` to its end, for no one: the output file is written as it is read. */
function drain(bytes: AsyncIterable<Uint8Array>): void {
  void (async () => {
    for await (const _ of bytes);
  })().catch(() => {}); // its failure is `streamChunks`' rejection
}

/**
 * Hands `frames` to `onStream` as an iterable of byte batches, writing each
 * batch to `target` (`PartWriter`: one `writev` per 512 KiB) as it goes out; settles once the consumer has read it
 * to its end (with what was written), or rejects when it ends it early, or
 * when `controller` aborts before it does (its encoders are then stopped).
 */
function streamChunks(
  frames: AsyncIterable<Uint8Array>,
  target: string,
  onStream: (adts: AsyncIterable<Uint8Array>) => void,
  controller: AbortController,
): Promise<{ frames: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(controller.signal.reason);
    controller.signal.addEventListener('abort', onAbort, { once: true });
    async function* batches(): AsyncGenerator<Uint8Array> {
      // 'w': truncates a part file a killed run left.
      const writer = await PartWriter.open(target, 'w', 0);
      let complete = false;
      try {
        let count = 0;
        let batch: Uint8Array[] = [];
        let batchBytes = 0;
        for await (const frame of frames) {
          batch.push(frame);
          batchBytes += frame.length;
          count += 1;
          if (batchBytes < STREAM_BATCH_BYTES) continue;
          const out = Buffer.concat(batch, batchBytes);
          batch = [];
          batchBytes = 0;
          writer.write(out);
          yield out;
        }
        if (batchBytes > 0) {
          const out = Buffer.concat(batch, batchBytes);
          writer.write(out);
          yield out;
        }
        writer.close();
        complete = true;
        resolve({ frames: count, bytes: writer.written });
      } catch (error) {
        reject(error);
        throw error;
      } finally {
        writer.close();
        controller.signal.removeEventListener('abort', onAbort);
        if (!complete) {
          const reason = new Error('the AAC stream was closed before its end');
          controller.abort(reason);
          reject(reason);
        }
      }
    }
    onStream(batches());
  });
}

/**
 * How often a follower looks for more bytes when it has read all there are.
 * Its consumer only has to keep up with the encoder (the end is seen at
 * once: the wait also ends when the encoder exits); 20 ms made 600 reads of
 * an hour's first chunk, most of them empty.
 */
const FOLLOW_POLL_MS = 100;
const FOLLOW_READ_BYTES = 256 * 1024;

/**
 * The bytes of an encoder's output file as the encoder writes them, to its
 * end once `run` has settled (its failure, if it failed): the file is
 * opened once it exists and read at its growing length.
 */
async function* followEncoderOutput(
  file: string,
  run: Promise<unknown>,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let ended: { failure?: unknown } | undefined;
  run.then(
    () => {
      ended = {};
    },
    (failure: unknown) => {
      ended = { failure };
    },
  );
  let handle: FileHandle | undefined;
  let buffer: Buffer | undefined;
  let position = 0;
  try {
    for (;;) {
      signal.throwIfAborted();
      // Seen before the read: bytes written before the end are all read after it.
      const end = ended;
      if (end && 'failure' in end) throw end.failure;
      handle ??= await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' && end === undefined) return undefined;
        throw error;
      });
      if (handle) {
        // One buffer for every read, and a copy of what came (the reader keeps views of it): most
        // reads find a few kB or nothing, and a fresh 256 KiB each was garbage.
        buffer ??= Buffer.allocUnsafe(FOLLOW_READ_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, FOLLOW_READ_BYTES, position);
        if (bytesRead > 0) {
          position += bytesRead;
          yield Uint8Array.prototype.slice.call(buffer, 0, bytesRead);
          continue;
        }
        if (end) return;
      }
      await Promise.race([delay(FOLLOW_POLL_MS, undefined, { ref: false }), run.catch(() => {})]);
    }
  } finally {
    await handle?.close();
  }
}
