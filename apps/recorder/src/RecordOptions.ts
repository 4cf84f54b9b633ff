import type { Writable } from 'node:stream';
import type { Progress } from '@rec/core';
import type { CreateS3ClientOptions, S3SourceOptions, SegmentLayout } from '@rec/s3-segments';

/** The AWS SDK's `S3Client` (the recorder takes one of the caller's own). */
export type S3Client = S3SourceOptions['client'];

/**
 * An instant: Unix seconds (up to 10 integer digits, fractions allowed) or
 * milliseconds (13 digits), as a number or a string; ISO-8601 with a zone
 * (`2023-11-14T22:13:20Z`, `...+01:00`); or a `Date`. See `parseInstant`.
 */
export type Instant = number | string | Date;

/** Where the segments are. */
export type RecordSource =
  | {
      type: 's3';
      bucket: string;
      prefix: string;
      /**
       * The caller's own client (its credentials provider, region, endpoint,
       * retries, agents): lists, downloads, and uploads an `s3://` output.
       * Never destroyed by the recorder. Without it the recorder makes one
       * from `region`, `endpoint`, `forcePathStyle` and `credentials`, and
       * destroys it when the recording is done.
       */
      client?: S3Client;
      /** Default: the SDK's chain (`AWS_REGION`, the profile's region), else `us-east-1`. Ignored with `client`. */
      region?: string;
      /** Any S3-compatible endpoint. Ignored with `client`. */
      endpoint?: string;
      /** Ignored with `client`. */
      forcePathStyle?: boolean;
      /** Static credentials; default: the SDK's chain (env, profile, SSO, instance role). Ignored with `client`. */
      credentials?: CreateS3ClientOptions['credentials'];
    }
  | {
      type: 'local';
      /** Directory laid out like the bucket (path or `file://` URL). */
      root: string;
      prefix?: string;
    };

export const OutputFormat = { Mp4: 'mp4', Ts: 'ts' } as const;
export type OutputFormat = (typeof OutputFormat)[keyof typeof OutputFormat];

/** Phases of a recording, in order, as progress reports name them. */
export const RecordPhase = {
  List: 'list',
  Download: 'download',
  Audio: 'audio',
  /** WAV -> AAC, on every core. */
  Encode: 'encode',
  Mux: 'mux',
  Upload: 'upload',
} as const;
export type RecordPhase = (typeof RecordPhase)[keyof typeof RecordPhase];

/** Progress of one phase (`percent` in [0, 1] when `total` is known, as everywhere in rec). */
export interface RecordProgress extends Progress {
  phase: RecordPhase;
}

export interface RecordOptions {
  source: RecordSource;
  start: Instant;
  /** After `start` (exclusive). */
  end: Instant;
  /**
   * Local path, `s3://bucket/key`, or a writable stream (an HTTP response,
   * a file handle's stream). A TS goes into the stream as it is written
   * (its first bytes before the last segment is muxed); an MP4 once it is
   * complete and read back (faststart needs the whole file first). The
   * stream is ended once the recording is complete and read back. A failure
   * before the first byte leaves the stream untouched for the caller to
   * answer; a failure after it destroys the stream with the error.
   */
  output: string | Writable;
  /**
   * Default: `ts` for an output path ending in `.ts`, `.m2ts` or `.mts`,
   * else `mp4` (as the CLI does; `mp4` for a stream).
   */
  format?: OutputFormat;
  layout?: SegmentLayout;
  /** Parallel downloads (default 16). */
  concurrency?: number;
  /** Seconds of extra segments listed and kept on both sides of the window (default 0). */
  pad?: number;
  /** Which kinds to record (default both): a video-only or audio-only recording. */
  kinds?: readonly ('video' | 'audio')[];
  /** Keep whole segments instead of cutting to exactly [start, end). */
  noTrim?: boolean;
  /**
   * Refuse a window whose holes (time no segment's content covers, per
   * kind) exceed this fraction of it, in [0, 1]: `RECORDER_SPARSE_WINDOW`,
   * thrown before the audio is encoded (as soon as the downloaded audio's
   * headers tell how much it covers) or the recording is written. Default:
   * no limit; a window more than half empty gets a `RECORDER_SPARSE_WINDOW`
   * warning either way.
   */
  maxHoleFraction?: number;
  /**
   * Fail on the first damaged segment (an empty or undecodable video
   * segment, one cut inside a picture; an unreadable or truncated audio
   * chunk) and on audio gaps, instead of skipping or cutting it, filling
   * silence and listing it in the summary's `damaged` (es-ts `muxSegments`
   * and mux `buildAudioTrack` `strict`). Default false.
   */
  strict?: boolean;
  /**
   * Where the job's own directory goes (default: the OS temp dir). Downloads
   * and intermediate files are written in `<tempDir>/rec-recorder-<job>/`,
   * marked as the recorder's; nothing else in `tempDir` is ever touched, and
   * `tempDir` itself is never removed.
   */
  tempDir?: string;
  /** Keep the job directory after success (it is always kept after a failure, for a resume). */
  keepTemp?: boolean;
  /**
   * Reuse verified downloads of an earlier run of the same job (default
   * true); `false` empties the job directory first (only it).
   */
  resume?: boolean;
  /**
   * Read the MP4 back with ffprobe before it goes in place (one more pass
   * over the file): a recording ffprobe cannot read fails, and the
   * summary's durations, codecs and frame counts are what ffprobe reads.
   * Without it they come from what was written (the edit lists, the
   * pictures es-ts muxed), which are the same numbers. A TS is always read
   * back by es-ts (`summarizeTs`). Default false.
   */
  verify?: boolean;
  ffmpegPath?: string;
  signal?: AbortSignal;
  onProgress?: (progress: RecordProgress) => void;
}
