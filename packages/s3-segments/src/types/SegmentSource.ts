import type { ProgressListener, TimeRange } from '@rec/core';
import type { DownloadResult } from '../download/downloadSegments.js';
import type { S3Stats } from './S3Stats.js';
import type { Segment, SegmentKind } from './Segment.js';
import type { TransferProgress } from './TransferProgress.js';

export interface SourceListOptions {
  window: TimeRange;
  pad?: number;
  lookback?: number;
  kinds?: readonly SegmentKind[];
  signal?: AbortSignal;
  /** S3 sources count their requests here. */
  stats?: S3Stats;
}

export interface SourceFetchOptions {
  /** Where downloads go (S3); a local source reads files in place and ignores it. */
  dir: string;
  concurrency?: number;
  retries?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener<TransferProgress>;
  stats?: S3Stats;
}

/**
 * Where segments come from, so the recorder treats a bucket and a local
 * directory the same way: list a window, then get a readable file per segment.
 */
export interface SegmentSource {
  readonly type: 's3' | 'local';
  /** Where it reads from, for messages (`s3://bucket/prefix`, a directory); never credentials. */
  readonly location: string;
  list(options: SourceListOptions): AsyncIterable<Segment>;
  /** Makes every segment readable as a local file; `files[i].path` is the file of `segments[i]`. */
  fetch(segments: readonly Segment[], options: SourceFetchOptions): Promise<DownloadResult>;
}
