import { rm } from 'node:fs/promises';
import type { Progress, ProgressListener, RecWarning } from '@rec/core';
import { type EncodeAacOptions, type EncodeAacResult, encodeAac } from '../aac/encodeAac.js';
import { expectWindow } from '../expectWindow.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import type { RecordingAac, RecordingAacStream } from '../output/writeRecording.js';
import type { AudioDamage } from './AudioDamage.js';
import { joinAdts } from './joinAdts.js';
import { planWavJoin, type WavChunk, type WavJoin } from './joinWav.js';
import type { AudioGap, AudioOverlap } from './planAudioTimeline.js';
import { streamWavJoin } from './streamWavJoin.js';

/** What an audio chunk holds: PCM in a WAV file, or AAC in ADTS. */
export const AudioChunkCodec = {
  Pcm: 'pcm',
  Aac: 'aac',
} as const;
export type AudioChunkCodec = (typeof AudioChunkCodec)[keyof typeof AudioChunkCodec];

/** One audio segment: a file on the timeline, its name for messages, and what it holds. */
export interface AudioTrackChunk extends WavChunk {
  codec: AudioChunkCodec;
}

/** The two steps of `buildAudioTrack`: joining AAC chunks, or encoding joined WAV chunks. */
export const AudioTrackPhase = {
  Join: 'join',
  Encode: 'encode',
} as const;
export type AudioTrackPhase = (typeof AudioTrackPhase)[keyof typeof AudioTrackPhase];

/** Core's `Progress` (seconds of audio) plus the step it is about. */
export interface AudioTrackProgress extends Progress {
  phase: AudioTrackPhase;
}

export interface BuildAudioTrackOptions {
  /** The window's audio chunks, all of one codec (else `MUX_MIXED_AUDIO`). */
  chunks: readonly AudioTrackChunk[];
  /** Timeline seconds [start, end) the track covers: the recording's window. */
  window: { start: number; end: number };
  /** ADTS file written (through `<output>.part`). */
  output: string;
  /** Gaps and damaged chunks fail (`AUDIO_GAP`, `WAV_INVALID`/`AAC_INVALID`) instead of silence and warnings. */
  strict?: boolean;
  /** PCM: the AAC bitrate (default: see `encodeAac`). */
  bitrate?: string;
  /** PCM: AAC encoders run at once (default one per core). */
  parallelism?: number;
  /** AAC: see `joinAdts`. */
  continuityTolerance?: number;
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** Seconds of audio joined (AAC chunks) or encoded (PCM chunks). */
  onProgress?: ProgressListener<AudioTrackProgress>;
  /**
   * Hears the track's timeline once it is known and before the expensive
   * step: for PCM chunks from their headers alone, before the encode; for
   * AAC chunks after the join (a copy of frames). May throw to stop there
   * (a window refused as mostly empty): the error is what rejects, and no
   * output is left.
   */
  onPlan?: (plan: AudioTrackPlan) => void;
  /**
   * Resolves once chunk `index`'s file is complete on disk (a rejection
   * fails the track with it). With it, PCM chunks are encoded as they
   * arrive (`streamWavJoin`: the encoders start on the first chunks while
   * the later ones download) and `onPlan` hears the plan once every header
   * is read, while the encode runs (a throw stops it); AAC chunks are
   * joined once all are ready. Without it every file must be complete.
   */
  ready?: (index: number) => Promise<void>;
  /**
   * PCM chunks: called once, as the encoders start, with the track's AAC as
   * it comes (see `encodeAac`'s `onStream`), for `writeRecording`'s `audio`:
   * the recording is assembled while the encoders finish. The caller must
   * read it to its end (the track then resolves, its `aac.adts` file written
   * as it was read) or end it early (the track rejects, its encoders
   * stopped). Never called for AAC chunks.
   */
  onStream?: (aac: RecordingAacStream) => void;
}

/** Where the track's samples come from: the silences filled in, the overlaps resolved, the damage. */
export interface AudioTrackPlan {
  /** What the chunks held. */
  codec: AudioChunkCodec;
  /** From `window.start` to the end of the AAC: the window's length (AAC chunks: up to a frame more). */
  durationSeconds: number;
  gaps: AudioGap[];
  overlaps: AudioOverlap[];
  /** Damaged chunks with the part of the timeline each cost: gaps of the recording. */
  damaged: AudioDamage[];
  silenceSeconds: number;
  warnings: RecWarning[];
}

export interface AudioTrack extends AudioTrackPlan {
  /** The AAC on the window's timeline, ready for `writeRecording`'s `audio`. */
  aac: RecordingAac;
  /** Wall-clock seconds: the join (PCM: reading the headers and planning) and the AAC encode (PCM only). */
  seconds: { join: number; encode: number };
  /** PCM: the encode. */
  encode?: Omit<EncodeAacResult, 'output'>;
}

/**
 * The recording's audio as AAC on the window's timeline, from its
 * segments: WAV chunks are joined on the fly (silence for missing and
 * damaged ones, cut sample-exact to the window; `planWavJoin`) into the AAC
 * encoders on every core (`encodeAac`), with no joined WAV on disk; AAC
 * chunks are joined frame by frame without re-encoding (`joinAdts`: silent
 * frames for missing and damaged ones, the frames that overlap the window;
 * the MP4 edit list cuts the first at `start`).
 */
export async function buildAudioTrack(options: BuildAudioTrackOptions): Promise<AudioTrack> {
  const { chunks, window, signal, onProgress } = options;
  expectWindow(window);
  const codec = chunks[0]?.codec;
  const other = chunks.find((chunk) => chunk.codec !== codec);
  if (other !== undefined) {
    const first = chunks[0] as AudioTrackChunk;
    throw new MuxError(
      MuxErrorCode.MixedAudio,
      `audio chunks of two kinds: ${first.name ?? first.file} is ${first.codec}, ` +
        `${other.name ?? other.file} is ${other.codec}; a track takes one kind`,
      { file: other.file },
    );
  }
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const common = { chunks, window, strict: options.strict, signal };
  if (codec === AudioChunkCodec.Aac && options.ready) {
    const { ready } = options;
    await Promise.all(chunks.map((_, index) => ready(index)));
  }
  if (codec === AudioChunkCodec.Aac) {
    const joined = await joinAdts({
      ...common,
      output: options.output,
      continuityTolerance: options.continuityTolerance,
      ffmpegPath: options.ffmpegPath,
      onProgress: onProgress && ((progress) => onProgress({ ...progress, phase: AudioTrackPhase.Join })),
    });
    const plan: AudioTrackPlan = {
      codec,
      durationSeconds: joined.durationSeconds + joined.offset,
      gaps: joined.gaps,
      overlaps: joined.overlaps,
      damaged: joined.damaged,
      silenceSeconds: joined.silenceSeconds,
      warnings: joined.warnings,
    };
    try {
      options.onPlan?.(plan);
    } catch (error) {
      await rm(joined.output, { force: true });
      throw error;
    }
    return {
      ...plan,
      aac: { adts: joined.output, offset: joined.offset },
      seconds: { join: elapsed(), encode: 0 },
    };
  }
  // Joined on the fly into the encoders: no joined WAV on disk (and no 4 GiB WAV limit).
  if (options.ready) return encodeArriving(options, options.ready, started);
  const joined = await planWavJoin(common);
  const plan = pcmPlan(joined);
  options.onPlan?.(plan);
  const { output, ...encoded } = await encodeAac({
    wav: joined,
    output: options.output,
    bitrate: options.bitrate,
    parallelism: options.parallelism,
    ffmpegPath: options.ffmpegPath,
    signal,
    onProgress: onProgress && ((progress) => onProgress({ ...progress, phase: AudioTrackPhase.Encode })),
    onStream: streamTo(options.onStream),
  });
  return {
    ...plan,
    aac: { adts: output, offset: -encoded.primingSamples / encoded.sampleRate },
    seconds: { join: Math.max(0, elapsed() - encoded.seconds), encode: encoded.seconds },
    encode: encoded,
  };
}

/** `encodeAac`'s stream as a track's: the frames, and where the first one starts against `window.start`. */
function streamTo(onStream: ((aac: RecordingAacStream) => void) | undefined): EncodeAacOptions['onStream'] {
  return (
    onStream && ((adts, format) => onStream({ adts, offset: -format.primingSamples / format.sampleRate }))
  );
}

function pcmPlan(joined: Omit<WavJoin, 'read'>): AudioTrackPlan {
  return {
    codec: AudioChunkCodec.Pcm,
    durationSeconds: joined.durationSeconds,
    gaps: joined.gaps,
    overlaps: joined.overlaps,
    damaged: joined.damaged,
    silenceSeconds: joined.silenceSeconds,
    warnings: joined.warnings,
  };
}

/**
 * PCM chunks encoded as they arrive: the encode and the plan run side by
 * side, and the first failure of either (or `onPlan`'s throw) stops the
 * other and leaves no output.
 */
async function encodeArriving(
  options: BuildAudioTrackOptions,
  ready: (index: number) => Promise<void>,
  started: number,
): Promise<AudioTrack> {
  const { chunks, window, signal, onProgress } = options;
  const controller = new AbortController();
  const stop = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', stop, { once: true });
  const failFast = <T>(work: Promise<T>) =>
    work.catch((error: unknown) => {
      controller.abort(error);
      throw error;
    });
  try {
    const stream = await failFast(
      streamWavJoin({ chunks, window, strict: options.strict, ready, signal: controller.signal }),
    );
    let planned = 0;
    const planning = failFast(
      stream.join.then((joined) => {
        const plan = pcmPlan(joined);
        planned = (performance.now() - started) / 1000;
        options.onPlan?.(plan);
        return plan;
      }),
    );
    const encoding = failFast(
      encodeAac({
        wav: stream,
        output: options.output,
        bitrate: options.bitrate,
        parallelism: options.parallelism,
        ffmpegPath: options.ffmpegPath,
        signal: controller.signal,
        onProgress: onProgress && ((progress) => onProgress({ ...progress, phase: AudioTrackPhase.Encode })),
        onStream: streamTo(options.onStream),
      }),
    );
    const [plan, encode] = await Promise.allSettled([planning, encoding]);
    if (plan.status === 'rejected' || encode.status === 'rejected') {
      await rm(options.output, { force: true });
      // The first failure stopped the other: report it, not the abort it caused.
      throw signal?.aborted ? signal.reason : controller.signal.reason;
    }
    const { output, ...encoded } = encode.value;
    return {
      ...plan.value,
      aac: { adts: output, offset: -encoded.primingSamples / encoded.sampleRate },
      // Side by side: `join` until every header was read, `encode` the whole encode.
      seconds: { join: planned, encode: encoded.seconds },
      encode: encoded,
    };
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
