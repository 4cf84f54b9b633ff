import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  expectOneOf,
  invalidOption,
  makeProgress,
  type Progress,
  type ProgressListener,
  ProgressUnit,
} from '@rec/core';
import { atomicFile } from '@rec/core/node';
import {
  type AudioFrame,
  Codec,
  DEFAULT_START_PTS,
  type EsMuxOutput,
  type EsMuxResult,
  type EsSegment,
  type MuxSegmentsOptions,
  muxAudio,
  muxSegments,
  readAdts,
  TS_CLOCK,
} from '@rec/es-ts';
import { type EncodeAacResult, encodeAac } from '../aac/encodeAac.js';
import { asDiskFull } from '../diskFull.js';
import { expectWindow } from '../expectWindow.js';
import { runFfmpeg } from '../ffmpeg/runFfmpeg.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { checkLastPictures } from '../video/checkLastPictures.js';
import { clampMp4Duration } from './clampMp4Duration.js';
import { planRecordingCommand } from './planRecordingCommand.js';
import { planVideoTimescale } from './planVideoTimescale.js';
import { RecordingFormat } from './RecordingFormat.js';
import { restoreMp4Holes } from './restoreMp4Holes.js';
import { compressTsHoles, resolveHoleLengths, TsHoleCompressor } from './TsHoleCompressor.js';

/**
 * The video of an MP4 goes through `TsHoleCompressor` (which drops what lies
 * before a gap before the window start). From this long on, it also
 * compresses holes: the TS could
 * pass 2^33 ticks (26.5 h), which ffmpeg's TS reader cannot unwrap. Holes
 * over an hour are taken out on the way into ffmpeg and put back into the
 * MP4's sample table (`restoreMp4Holes`).
 */
const COMPRESS_HOLES_FROM_SECONDS = 12 * 3600;
const HOLE_THRESHOLD = 3600 * TS_CLOCK;
/** What a compressed hole keeps in ffmpeg's view: more than any reordering or PCR lead. */
const KEPT_HOLE = 10 * TS_CLOCK;
/** ffmpeg 4.x and 5.x+ wording of a sample delta it cannot store. */
const SAMPLE_DELTA_OVERFLOW =
  /is out of range for mov\/mp4 format|Packet duration: -?\d+ \/ dts: -?\d+ is out of range/;

/** Removed time is a multiple of this: exact in the video track's ticks and in the 1000 Hz movie timescale. */
function holeQuantum(videoTimescale: number): number {
  const perTick = TS_CLOCK / videoTimescale;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  return (perTick * 90) / gcd(perTick, 90);
}

export interface RecordingVideo {
  /** One continuous MPEG-TS whose PTS are on the recording timeline. */
  ts: AsyncIterable<Uint8Array>;
  /** Timeline second that maps to `basePts`. */
  origin: number;
  /** PTS (90 kHz) of `origin`: timeline second t has PTS (t - origin) * 90000 + basePts. */
  basePts: number;
  /**
   * What the TS writer knows (es-ts `muxSegments(...).result`): the
   * unwrapped PTS of each segment's first picture. Needed only for MP4
   * windows with a hole of more than 26.5 h, which a TS cannot tell from a
   * shorter one (its timestamps wrap every 2^33 ticks); without it such a
   * hole would come out 26.5 h (or a multiple) too short.
   */
  result?: PromiseLike<{ segments: readonly { firstPts: number | undefined }[] }>;
}

/**
 * H.264/H.265 elementary-stream segments that `writeRecording` turns into
 * the TS itself, with es-ts `muxSegments` (every option of it but the
 * timeline, the audio and the signal, which `writeRecording` sets): a TS
 * recording with audio then has the AAC interleaved by the same writer, so
 * every TS rec writes comes from its own writer, never from ffmpeg.
 */
export interface RecordingSegments
  extends Omit<MuxSegmentsOptions, 'origin' | 'basePts' | 'audio' | 'signal'> {
  segments: AsyncIterable<EsSegment> | Iterable<EsSegment>;
  /**
   * H.264 segments given as an array: before the mux, each one's last
   * picture is decoded by ffmpeg (`checkLastPictures`), and one that does
   * not decode whole is cut before it (`ES_SEGMENT_CUT`, listed in
   * `damaged`; with `strict`, the failure). Default true; the check reads
   * each segment once more and costs one ffmpeg run while none is damaged.
   */
  checkLastPictures?: boolean;
  /** Timeline second that maps to `basePts` (default `window.start`). */
  origin?: number;
  /** PTS (90 kHz) of `origin` (default es-ts `DEFAULT_START_PTS`, 1.4 s). */
  basePts?: number;
}

/** PCM audio that `writeRecording` encodes to AAC (on every core, see `encodeAac`). */
export interface RecordingAudio {
  /** Joined PCM WAV (see `joinWav`) whose first sample is at `window.start`. */
  wav: string;
  /** AAC bitrate, e.g. `128k` (default: 128k up to stereo, 64k per channel above). */
  bitrate?: string;
  /** AAC encoders run at once (default: one per core; see `encodeAac`). */
  parallelism?: number;
}

/**
 * AAC as it is being encoded (`buildAudioTrack`'s or `encodeAac`'s
 * `onStream`): read as it comes (an MP4's ffmpeg takes it on a pipe of its
 * own), stream-copied as it is; `offset` as in `RecordingAac`.
 */
export interface RecordingAacStream {
  adts: AsyncIterable<Uint8Array>;
  offset: number;
}

/** AAC already encoded (`encodeAac`, `joinAdts`): stream-copied as it is. */
export interface RecordingAac {
  /** ADTS file. */
  adts: string;
  /**
   * Seconds from `window.start` to the start of the first frame: negative
   * when it starts before the window (the encoder's priming frame, a frame
   * cut by the window), which the MP4 edit list hides.
   */
  offset: number;
}

export interface WriteRecordingOptions {
  /**
   * The video: segments (muxed here by es-ts), or a TS already muxed. A TS
   * recording with separate `audio` needs the segments (`TypeError`
   * otherwise): the audio is interleaved while the TS is written.
   */
  video?: RecordingVideo | RecordingSegments;
  audio?: RecordingAudio | RecordingAac | RecordingAacStream;
  /** Timeline seconds [start, end) the recording presents. */
  window: { start: number; end: number };
  /**
   * Local path; written to `<output>.part`, renamed when complete. Part
   * files a killed run left (`<output>.part`, the AAC encode's) are ours and
   * are overwritten.
   */
  output: string;
  /** `mp4` (default) or `ts`. */
  format?: RecordingFormat;
  ffmpegPath?: string;
  signal?: AbortSignal;
  /**
   * Seconds of the window written (ffmpeg), or bytes (TS copy without
   * ffmpeg). With audio, the AAC encode reports first (`phase: 'encode'`,
   * seconds of audio), then the assembly (`phase: 'mux'`).
   */
  onProgress?: ProgressListener<WriteProgress>;
}

/** The two steps of `writeRecording` with audio: encode the WAV, then assemble. */
export const WritePhase = {
  Encode: 'encode',
  Mux: 'mux',
} as const;
export type WritePhase = (typeof WritePhase)[keyof typeof WritePhase];

/** Core's `Progress` plus the step it is about. */
export interface WriteProgress extends Progress {
  phase: WritePhase;
}

export interface WriteRecordingResult {
  output: string;
  format: RecordingFormat;
  /**
   * MP4: the presentation duration written in the file (mvhd).
   * TS: the window length (a TS copy is not parsed; it starts at the keyframe before `start`).
   */
  durationSeconds: number;
  /** Video frames ffmpeg copied (including the ones before `start` that the edit list hides). */
  videoFrames?: number;
  /** MP4: presentation duration of the audio track (its edit list, as ffprobe gives its duration). */
  audioSeconds?: number;
  /** MP4: presentation duration of the video track (its edit list, as ffprobe gives its duration). */
  videoSeconds?: number;
  bytes: number;
  /** The ffmpeg arguments of the assembly (none for a TS copy). */
  ffmpegArgs?: string[];
  /** The AAC encode (when there was audio). */
  aac?: Omit<EncodeAacResult, 'output'>;
  /** What es-ts wrote, when `video` was segments: frames, damaged segments, overlaps... */
  video?: EsMuxResult;
}

/**
 * Assembles the recording: the WAV is encoded to AAC on every core
 * (`encodeAac`), then one ffmpeg process (never one per segment)
 * stream-copies the video from the TS and the AAC into the container.
 *
 * MP4 presents exactly [start, end): it starts at the keyframe before
 * `start` with an edit list so playback begins at `start`, and the edit list
 * ends at `end`. TS is never written by ffmpeg: it keeps every video
 * timestamp and starts at the keyframe before `start` (TS has no edit
 * lists); video segments are muxed by es-ts `muxSegments` with the AAC
 * interleaved (its PTS: `window.start` plus the AAC's `offset`), a muxed TS
 * is copied as it is, audio alone is written by es-ts `muxAudio`.
 *
 * Holes and long windows stay exact in MP4 (see the README: the video
 * track timescale follows the window, holes over an hour in windows from
 * 12 h go through ffmpeg shortened and are put back, content before a gap
 * before `start` is dropped); what cannot be written is
 * `MUX_TIMELINE_TOO_LONG`, never a broken file.
 */
export async function writeRecording(options: WriteRecordingOptions): Promise<WriteRecordingResult> {
  const { audio, window, output, signal, onProgress } = options;
  expectWindow(window);
  const format = expectOneOf('format', options.format ?? RecordingFormat.Mp4, Object.values(RecordingFormat));
  if (!options.video && !audio)
    throw new MuxError(MuxErrorCode.NoInput, 'writeRecording: neither video nor audio given');
  const segments = options.video && 'segments' in options.video ? options.video : undefined;
  if (format === RecordingFormat.Ts && audio && options.video && !segments) {
    throw invalidOption(
      'video',
      'segments (`video.segments`) when a TS recording has separate audio: es-ts interleaves it as it writes the TS',
      'a muxed TS (`video.ts`)',
    );
  }
  signal?.throwIfAborted();

  const muxProgress =
    onProgress && ((progress: Progress) => onProgress({ ...progress, phase: WritePhase.Mux }));
  const target = atomicFile(output);
  const aacFile = `${target.partPath}.aac`;
  const length = window.end - window.start;
  // Segments are muxed here, on the timeline `window.start` -> DEFAULT_START_PTS unless told otherwise.
  const timeline = segments && {
    origin: segments.origin ?? window.start,
    basePts: segments.basePts ?? DEFAULT_START_PTS,
  };
  const list = segments && (await checkedSegments(segments, options.ffmpegPath, signal));
  const muxVideo = (audioFrames?: AsyncIterable<AudioFrame>): EsMuxOutput | undefined => {
    if (!segments || !timeline || !list) return undefined;
    const { segments: _, origin: __, basePts: ___, checkLastPictures: ____, ...muxOptions } = segments;
    return muxSegments(list, { ...muxOptions, ...timeline, audio: audioFrames, signal });
  };
  let stream: Readable | undefined;
  let audioStream: Readable | undefined;
  try {
    if (format === RecordingFormat.Ts && !audio) {
      const es = muxVideo();
      const ts = es?.packets ?? (options.video as RecordingVideo).ts;
      const written = await copyTs(ts, output, length, signal, muxProgress);
      return { ...written, video: await es?.result };
    }
    const encoded =
      audio && 'wav' in audio
        ? await encodeAac({
            wav: resolve(audio.wav),
            output: aacFile,
            bitrate: audio.bitrate,
            parallelism: audio.parallelism,
            ffmpegPath: options.ffmpegPath,
            signal,
            onProgress: onProgress && ((progress) => onProgress({ ...progress, phase: WritePhase.Encode })),
          })
        : undefined;
    const aac: { adts: string | AsyncIterable<Uint8Array>; offset: number } | undefined = encoded
      ? { adts: resolve(aacFile), offset: -encoded.primingSamples / encoded.sampleRate }
      : audio && 'adts' in audio
        ? {
            adts: typeof audio.adts === 'string' ? resolve(audio.adts) : audio.adts,
            offset: audio.offset,
          }
        : undefined;
    const aacSummary = encoded && withoutOutput(encoded);
    if (format === RecordingFormat.Ts && aac) {
      // Our own TS writer, no ffmpeg: the AAC's first frame at `window.start` + its offset.
      const base = timeline
        ? timeline.basePts + (window.start - timeline.origin) * TS_CLOCK
        : DEFAULT_START_PTS;
      const read = readAdts(typeof aac.adts === 'string' ? createReadStream(aac.adts) : aac.adts, {
        startPts: Math.round(base + aac.offset * TS_CLOCK),
        source: typeof aac.adts === 'string' ? aac.adts : 'the AAC stream',
        signal,
      });
      // Progress: seconds of the window, from the PTS of the audio frames taken (in time order).
      const audioProgress = muxProgress && throttledSeconds(length, muxProgress);
      const frames = audioProgress ? tapPts(read, (pts) => audioProgress((pts - base) / TS_CLOCK)) : read;
      const es = muxVideo(frames);
      const written = await copyTs(
        es?.packets ?? muxAudio(frames, { signal }),
        output,
        length,
        signal,
        undefined,
      );
      muxProgress?.(makeProgress(length, length, ProgressUnit.Seconds));
      return { ...written, aac: aacSummary, video: await es?.result };
    }
    const es = muxVideo();
    const video: RecordingVideo | undefined =
      es && timeline
        ? { ts: es.packets, ...timeline, result: es.result }
        : (options.video as RecordingVideo | undefined);
    const startPts = video ? (window.start - video.origin) * TS_CLOCK + video.basePts : 0;
    // Mux progress comes from what ffmpeg is fed, not from its `time=`: ffmpeg 5.x and later
    // miscount that under -copyts (5.1 said 0.08 s at the end of an 18-s mux).
    const videoProgress = muxProgress && throttledSeconds(length, muxProgress);
    const compressor =
      video &&
      new TsHoleCompressor({
        compress: length >= COMPRESS_HOLES_FROM_SECONDS,
        dropBeforeStart: true,
        threshold: HOLE_THRESHOLD,
        keep: KEPT_HOLE,
        quantum: holeQuantum(planVideoTimescale(length)),
        startPts,
        onVideoTime: videoProgress && ((dts) => videoProgress((dts - startPts) / TS_CLOCK)),
      });
    stream =
      video && compressor && Readable.from(compressTsHoles(video.ts, compressor), { objectMode: false });
    // An AAC stream goes to ffmpeg on a pipe of its own, read while the video is.
    audioStream =
      aac && typeof aac.adts !== 'string' ? Readable.from(aac.adts, { objectMode: false }) : undefined;
    const audioInput = aac && { adts: audioStream ?? (aac.adts as string), offset: aac.offset };
    const { videoTimescale: _, ...command } = planRecordingCommand({
      video: video && stream && { stream, origin: video.origin, basePts: video.basePts },
      audio: audioInput,
      window,
      target: resolve(target.partPath),
    });
    // Audio only: the bytes ffmpeg has written, of about the ADTS's size.
    const adtsBytes =
      !video && aac && typeof aac.adts === 'string' && muxProgress ? (await stat(aac.adts)).size : 0;
    const run = await runFfmpeg({
      ...command,
      ffmpegPath: options.ffmpegPath,
      signal,
      onStatus:
        adtsBytes > 0
          ? (status) =>
              status.bytes !== undefined &&
              muxProgress?.(
                makeProgress(Math.min(1, status.bytes / adtsBytes) * length, length, ProgressUnit.Seconds),
              )
          : undefined,
      // Never a broken MP4 reported as success: ffmpeg only warns when a sample delta overflows.
      fatalStderr: SAMPLE_DELTA_OVERFLOW,
      onFatal: (line) =>
        new MuxError(
          MuxErrorCode.TimelineTooLong,
          `the video has a time jump that one MP4 sample cannot hold: ffmpeg: ${line.trim()}`,
        ),
    });
    if (compressor && compressor.holes.length > 0) {
      const firstPts = video?.result && (await video.result).segments.map((segment) => segment.firstPts);
      await restoreMp4Holes(target.partPath, resolveHoleLengths(compressor.holes, firstPts), {
        samples: compressor.videoSamples,
      });
    }
    const clamped = await clampMp4Duration(target.partPath, { maxSeconds: length });
    signal?.throwIfAborted();
    const { size } = await stat(target.partPath);
    await target.commit();
    muxProgress?.(makeProgress(length, length, ProgressUnit.Seconds));
    return {
      output,
      format,
      durationSeconds: clamped.durationSeconds,
      videoFrames: video ? run.frames : undefined,
      audioSeconds: clamped.tracks.find((track) => track.handler === 'soun')?.durationSeconds,
      videoSeconds: clamped.tracks.find((track) => track.handler === 'vide')?.durationSeconds,
      bytes: size,
      ffmpegArgs: run.args,
      aac: aacSummary,
      video: await es?.result,
    };
  } catch (error) {
    // Closes the caller's iterator too (Readable.from calls its return()).
    stream?.destroy();
    audioStream?.destroy();
    await target.discard();
    throw asDiskFull(error, target.partPath);
  } finally {
    await rm(aacFile, { force: true });
  }
}

/** The frames of `frames`, telling `onPts` the PTS of each as it is taken. */
async function* tapPts<T extends { pts: number }>(
  frames: AsyncIterable<T>,
  onPts: (pts: number) => void,
): AsyncGenerator<T> {
  for await (const frame of frames) {
    onPts(frame.pts);
    yield frame;
  }
}

/** Reports seconds of the window in [0, length], each at least half a second after the last. */
function throttledSeconds(length: number, onProgress: ProgressListener): (seconds: number) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (seconds) => {
    const at = Math.min(length, Math.max(0, seconds));
    if (at < last + 0.5) return;
    last = at;
    onProgress(makeProgress(at, length, ProgressUnit.Seconds));
  };
}

function withoutOutput({ output: _, ...rest }: EncodeAacResult): Omit<EncodeAacResult, 'output'> {
  return rest;
}

/** TS with video only: the TS is the recording; copied, no ffmpeg. */
async function copyTs(
  ts: AsyncIterable<Uint8Array>,
  output: string,
  durationSeconds: number,
  signal: AbortSignal | undefined,
  onProgress: ProgressListener | undefined,
): Promise<WriteRecordingResult> {
  let bytes = 0;
  async function* counted() {
    for await (const chunk of ts) {
      bytes += chunk.length;
      onProgress?.(makeProgress(bytes, undefined, ProgressUnit.Bytes));
      yield chunk;
    }
  }
  const target = atomicFile(output);
  try {
    // createWriteStream opens with 'w': a part file a killed run left is truncated.
    await pipeline(counted(), createWriteStream(target.partPath), { signal });
    await target.commit();
  } catch (error) {
    await target.discard();
    // pipeline rejects with an AbortError; callers expect the signal's reason.
    throw signal?.aborted ? signal.reason : asDiskFull(error, target.partPath);
  }
  return { output, format: RecordingFormat.Ts, durationSeconds, bytes };
}

/** The segments to mux: H.264 ones in an array with their last pictures checked by a decoder. */
async function checkedSegments(
  segments: RecordingSegments,
  ffmpegPath: string | undefined,
  signal: AbortSignal | undefined,
): Promise<AsyncIterable<EsSegment> | Iterable<EsSegment>> {
  const list = segments.segments;
  const h264 = (segments.codec ?? Codec.H264) === Codec.H264;
  if (segments.checkLastPictures === false || !h264 || !Array.isArray(list)) return list;
  return checkLastPictures(list, { ffmpegPath, signal });
}
