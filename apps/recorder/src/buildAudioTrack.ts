import { join } from 'node:path';
import { encodeAac, joinWav, type MuxProgress, type RecordingAac } from '@rec/mux';
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
  onJoinProgress?: (progress: MuxProgress) => void;
  onEncodeProgress?: (progress: MuxProgress) => void;
}

export interface AudioTrack {
  /** AAC ready to be stream-copied into the recording. */
  aac: RecordingAac;
  silenceSeconds: number;
  warnings: { code: string; message: string }[];
  /** Wall-clock seconds of the join and of the encode. */
  seconds: { join: number; encode: number };
}

/**
 * The recording's audio as AAC on the window's timeline: WAV segments are
 * joined (silence for the missing ones, cut sample-exact to the span) and
 * encoded on every core.
 */
export async function buildAudioTrack(options: AudioTrackOptions): Promise<AudioTrack> {
  const { segments, pathOf, span, tempDir, signal } = options;
  const unsupported = segments.filter((segment) => segment.codec === 'aac');
  if (unsupported.length > 0) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `AAC audio segments are not supported yet (${unsupported.length} in the window, e.g. ${unsupported[0]?.key}); use WAV segments`,
    );
  }
  const started = performance.now();
  const joined = await joinWav({
    chunks: segments.map((segment) => ({ file: pathOf.get(segment.key) ?? '', startTime: segment.epoch })),
    window: span,
    output: join(tempDir, 'audio.wav'),
    ...(signal ? { signal } : {}),
    ...(options.onJoinProgress ? { onProgress: options.onJoinProgress } : {}),
  });
  const encoded = await encodeAac({
    wav: joined.output,
    output: join(tempDir, 'audio.aac'),
    ...(options.ffmpegPath === undefined ? {} : { ffmpegPath: options.ffmpegPath }),
    ...(signal ? { signal } : {}),
    ...(options.onEncodeProgress ? { onProgress: options.onEncodeProgress } : {}),
  });
  return {
    aac: { adts: encoded.output, offset: -encoded.primingSamples / encoded.sampleRate },
    silenceSeconds: joined.silenceSeconds,
    warnings: joined.warnings.map(({ code, message }) => ({ code, message })),
    seconds: { join: (performance.now() - started) / 1000 - encoded.seconds, encode: encoded.seconds },
  };
}
