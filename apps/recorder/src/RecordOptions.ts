import type { Progress } from '@rec/core';
import type { SegmentLayout } from '@rec/s3-segments';

/** Where the segments are. */
export type RecordSource =
  | {
      type: 's3';
      bucket: string;
      prefix: string;
      region: string;
      endpoint?: string;
      forcePathStyle?: boolean;
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
  /** Unix seconds. */
  start: number;
  /** Unix seconds, after `start`. */
  end: number;
  /** Local path or `s3://bucket/key`. */
  output: string;
  format: OutputFormat;
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
  ffmpegPath?: string;
  signal?: AbortSignal;
  onProgress?: (progress: RecordProgress) => void;
}
