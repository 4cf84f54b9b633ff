import { join } from 'node:path';
import type { ProgressListener } from '@rec/core';
import {
  type AudioGap,
  type AudioOverlap,
  encodeAac,
  joinAdts,
  planWavJoin,
  type RecordingAac,
} from '@rec/mux';
import type { Segment } from '@rec/s3-segments';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';

export interface AudioTrackOptions {
  /** The window's audio segments, in time order. */
  segments: readonly Segment[];
  /** Local file of each segment key. */
  pathOf: ReadonlyMap<string, string>;
  /** Timeline seconds [start, end) the recording presents. */
  span: { start: number; end: number };
  tempDir: string;
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** Joining AAC segments (WAV segments are joined while they are encoded). */
  onJoinProgress?: ProgressListener;
  onEncodeProgress?: ProgressListener;
  /**
   * The audio's timeline as the join placed it, before anything is encoded
   * (WAV: from the headers alone). May throw to stop the track there (a
   * window refused as mostly empty).
   */
  onPlan?: (plan: AudioPlan) => void;
}

/** Where the samples go: the silences filled in and the overlaps resolved. */
export interface AudioPlan {
  gaps: AudioGap[];
  /** Resolved in favour of the later chunk. */
  overlaps: AudioOverlap[];
  silenceSeconds: number;
  durationSeconds: number;
}

export interface AudioTrack extends AudioPlan {
  /** AAC ready to be stream-copied into the recording. */
  aac: RecordingAac;
  warnings: { code: string; message: string }[];
  /** Wall-clock seconds of the join and of the encode. */
  seconds: { join: number; encode: number };
}

/**
 * The recording's audio as AAC on the window's timeline: WAV segments are
 * joined (silence for the missing ones, cut sample-exact to the span) and
 * encoded on every core; AAC segments are joined frame by frame without
 * re-encoding (silent frames for the missing ones, the frames that overlap
 * the span; the MP4 edit list cuts the first one at `start`).
 */
export async function buildAudioTrack(options: AudioTrackOptions): Promise<AudioTrack> {
  const { segments, pathOf, span, tempDir, signal } = options;
  const aac = segments.filter((segment) => segment.codec === 'aac');
  if (aac.length > 0 && aac.length < segments.length) {
    const wav = segments.find((segment) => segment.codec !== 'aac');
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `The window mixes AAC and WAV audio segments (${aac[0]?.key} and ${wav?.key}); a recording takes one kind`,
    );
  }
  if (aac.length > 0) return joinAacSegments(options);
  const started = performance.now();
  // Joined on the fly into the encoders: no joined WAV on disk (and no 4 GiB WAV limit).
  const joined = await planWavJoin({
    chunks: segments.map((segment) => ({
      file: pathOf.get(segment.key) ?? '',
      startTime: segment.epoch,
      name: segment.key,
    })),
    window: span,
    signal,
  });
  options.onPlan?.(joined);
  const encoded = await encodeAac({
    wav: joined,
    output: join(tempDir, 'audio.aac'),
    ffmpegPath: options.ffmpegPath,
    signal,
    onProgress: options.onEncodeProgress,
  });
  return {
    aac: { adts: encoded.output, offset: -encoded.primingSamples / encoded.sampleRate },
    ...planOf(joined),
    warnings: joined.warnings.map(({ code, message }) => ({ code, message })),
    seconds: { join: (performance.now() - started) / 1000 - encoded.seconds, encode: encoded.seconds },
  };
}

async function joinAacSegments(options: AudioTrackOptions): Promise<AudioTrack> {
  const { segments, pathOf, span, tempDir, signal } = options;
  const started = performance.now();
  const joined = await joinAdts({
    chunks: segments.map((segment) => ({
      file: pathOf.get(segment.key) ?? '',
      startTime: segment.epoch,
      name: segment.key,
    })),
    window: span,
    output: join(tempDir, 'audio.aac'),
    ffmpegPath: options.ffmpegPath,
    signal,
    onProgress: options.onJoinProgress,
  });
  // A copy of frames, not an encode: nothing expensive happened before the check.
  options.onPlan?.(joined);
  return {
    aac: { adts: joined.output, offset: joined.offset },
    ...planOf(joined),
    warnings: joined.warnings.map(({ code, message }) => ({ code, message })),
    seconds: { join: (performance.now() - started) / 1000, encode: 0 },
  };
}

function planOf(plan: AudioPlan): AudioPlan {
  const { gaps, overlaps, silenceSeconds, durationSeconds } = plan;
  return { gaps, overlaps, silenceSeconds, durationSeconds };
}
