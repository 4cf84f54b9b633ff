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

export interface RecordProgress {
  phase: RecordPhase;
  transferred: number;
  total?: number;
  /** 0-100 when `total` is known. */
  percent?: number;
  /** `bytes`, `seconds` or `keys`. */
  unit: 'bytes' | 'seconds' | 'keys';
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
  /** Where downloads and intermediate files go (default: a directory under the OS temp dir named after the job). */
  tempDir?: string;
  /** Keep the temp dir after success. */
  keepTemp?: boolean;
  /** Reuse verified downloads of an earlier run of the same job (default true). */
  resume?: boolean;
  ffmpegPath?: string;
  signal?: AbortSignal;
  onProgress?: (progress: RecordProgress) => void;
}
