import { setMaxListeners } from 'node:events';
import { mkdir, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { expectInteger, expectNumber, type ProgressListener, ProgressUnit } from '@rec/core';
import PQueue from 'p-queue';
import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import { createS3Stats, type S3Stats } from '../types/S3Stats.js';
import type { Segment } from '../types/Segment.js';
import type { TransferProgress } from '../types/TransferProgress.js';
import { DownloadState } from './DownloadState.js';
import { downloadObject } from './downloadObject.js';
import { segmentPath } from './segmentPath.js';

export interface DownloadSegmentsOptions {
  client: S3Client;
  bucket: string;
  segments: readonly Segment[];
  /** Files go to `<dir>/<kind>/<file name>`; the resume state to `<dir>/.rec-download.json`. */
  dir: string;
  /** Parallel GETs. Default 16 (keep the client's `maxSockets` at least this). */
  concurrency?: number;
  /** Retries per object after the first attempt, for truncated/mismatched bodies and network errors. Default 3. */
  retries?: number;
  /** Backoff base in milliseconds. Default 200. */
  retryDelay?: number;
  /**
   * Bytes per second below which an attempt is abandoned and retried: each
   * attempt may take 10 s plus the object's size at this speed (a body that
   * trickles never trips the client's idle timeout). Default 65536.
   */
  minSpeed?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener<TransferProgress>;
  /** Receives request counts. */
  stats?: S3Stats;
}

export interface DownloadedFile {
  segment: Segment;
  path: string;
  bytes: number;
  /** Already complete from an earlier run (verified by size and ETag), not fetched. */
  skipped: boolean;
}

export interface DownloadResult {
  /** One per segment, in the order given. */
  files: DownloadedFile[];
  bytesDownloaded: number;
  bytesSkipped: number;
  /** GET requests sent (attempts, retries included). */
  requests: number;
}

/**
 * Downloads segments in parallel into `dir`, resumably: a file the state
 * file records with the listed size and ETag, and that is on disk with that
 * size, is skipped; others are streamed to `*.part`, verified (size, MD5 vs a
 * single-part ETag), renamed, then recorded. Aborting rejects with
 * `signal.reason` after in-flight requests stop; completed files stay recorded.
 */
export async function downloadSegments(options: DownloadSegmentsOptions): Promise<DownloadResult> {
  const concurrency = expectInteger('concurrency', options.concurrency ?? 16, 1);
  const retries = expectInteger('retries', options.retries ?? 3, 0);
  const retryDelay = expectNumber('retryDelay', options.retryDelay ?? 200, 0);
  const minSpeed = expectNumber('minSpeed', options.minSpeed ?? 65_536, 1);
  const { signal: userSignal, onProgress, bucket } = options;
  userSignal?.throwIfAborted();
  const stats = options.stats ?? createS3Stats();
  const getsBefore = stats.requests.GetObject;

  const paths = options.segments.map((segment) => segmentPath(options.dir, segment));
  const seen = new Map<string, string>();
  options.segments.forEach((segment, index) => {
    const other = seen.get(paths[index]!);
    if (other !== undefined && other !== segment.key) {
      throw new S3SegmentsError(
        S3SegmentsErrorCode.NameCollision,
        `Segments "${other}" and "${segment.key}" would both be written to ${paths[index]}`,
        { bucket, key: segment.key },
      );
    }
    seen.set(paths[index]!, segment.key);
  });
  try {
    for (const kind of new Set(options.segments.map((s) => s.kind))) {
      await mkdir(`${options.dir}/${kind}`, { recursive: true });
    }
  } catch (cause) {
    throw new S3SegmentsError(
      S3SegmentsErrorCode.LocalIo,
      `Cannot create the download directory ${options.dir}`,
      {
        cause,
      },
    );
  }
  const state = await DownloadState.load(options.dir, bucket);

  const total = options.segments.reduce((sum, s) => sum + s.size, 0);
  const progress: TransferProgress = {
    transferred: 0,
    total,
    percent: 0,
    unit: ProgressUnit.Bytes,
    files: 0,
    filesTotal: paths.length,
  };
  const report = () => {
    progress.percent = total === 0 ? 1 : Math.min(1, Math.max(0, progress.transferred / total));
    onProgress?.({ ...progress });
  };

  const files: DownloadedFile[] = [];
  const pending: number[] = [];
  for (const [index, segment] of options.segments.entries()) {
    const path = paths[index]!;
    const complete = await isComplete(state, segment, path);
    files.push({ segment, path, bytes: complete ? segment.size : 0, skipped: complete });
    if (complete) {
      progress.transferred += segment.size;
      progress.files++;
    } else pending.push(index);
  }
  if (progress.files > 0) report();

  // One signal for the whole run: the caller's abort or our first failure stops every task.
  const failed = new AbortController();
  const signal = userSignal ? AbortSignal.any([userSignal, failed.signal]) : failed.signal;
  // Each task in flight listens to it a few times (SDK request, stream pipeline, backoff): not a leak.
  setMaxListeners(concurrency * 4 + 10, signal);
  let failure: unknown;
  const queue = new PQueue({ concurrency });
  await Promise.all(
    pending.map((index) =>
      queue.add(async () => {
        if (signal.aborted) return;
        const file = files[index]!;
        try {
          file.bytes = await downloadObject({
            client: options.client,
            bucket,
            segment: file.segment,
            path: file.path,
            retries,
            retryDelay,
            minSpeed,
            signal,
            stats,
            onBytes: (bytes) => {
              progress.transferred += bytes;
              if (bytes > 0) report();
            },
          });
          state.record(file.segment.key, {
            size: file.segment.size,
            etag: file.segment.etag,
            path: relative(options.dir, file.path),
          });
          progress.files++;
          report();
        } catch (error) {
          if (!signal.aborted) {
            failure = error;
            failed.abort(error);
          }
        }
      }),
    ),
  );
  await state.flush();
  userSignal?.throwIfAborted();
  if (failure !== undefined) throw failure;

  let bytesDownloaded = 0;
  let bytesSkipped = 0;
  for (const file of files) {
    if (file.skipped) bytesSkipped += file.bytes;
    else bytesDownloaded += file.bytes;
  }
  return { files, bytesDownloaded, bytesSkipped, requests: stats.requests.GetObject - getsBefore };
}

async function isComplete(state: DownloadState, segment: Segment, path: string): Promise<boolean> {
  const entry = state.get(segment.key);
  if (entry === undefined || entry.size !== segment.size) return false;
  if (segment.etag !== undefined && entry.etag !== segment.etag) return false;
  try {
    const info = await stat(path);
    return info.isFile() && info.size === segment.size;
  } catch {
    return false;
  }
}
