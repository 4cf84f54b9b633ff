import { isAbsolute, join, resolve, sep } from 'node:path';
import { expectInteger, invalidOption, type RecWarning, WarningLog } from '@rec/core';
import PQueue from 'p-queue';
import { DashgetWarningCode } from '../DashgetWarningCode.js';
import type {
  DownloadPlanItem,
  DownloadSummary,
  FailedDownload,
  RepresentationSummary,
  TransferProgress,
} from './DownloadPlanItem.js';
import { describeError } from './describeError.js';
import { ExistingFiles } from './ExistingFiles.js';
import { fetchFile } from './fetchFile.js';
import { createHttpClient } from './httpClient.js';
import { ResumeJournal } from './ResumeJournal.js';

export interface DownloadFilesOptions {
  /** Every `localPath` is under it; created when missing. */
  outputDir: string;
  /** Parallel transfers (and keep-alive sockets per host); default 8. */
  threads?: number;
  /** Retries per request after the first attempt (full-jitter backoff, or the server's Retry-After); default 5. */
  retries?: number;
  /** Milliseconds a connection may stay silent before the request is retried; default 30 000. */
  timeout?: number;
  /** Upper bound of the first retry's wait (ms, full jitter, doubling); default 500. */
  retryDelay?: number;
  /** Aborting stops every transfer (their `.part` files stay, for a later run) and rejects with `signal.reason`. */
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  /** Each warning kind the first time it occurs. */
  onWarning?: (warning: RecWarning<DashgetWarningCode>) => void;
}

/** At most one progress report per this many ms while bytes flow (every file's end is reported). */
const PROGRESS_INTERVAL = 100;

/**
 * Downloads `items` into `outputDir`, `threads` at a time, each through a
 * `.part` file renamed into place once complete (see `fetchFile`: skip,
 * resume, retries, fallback URLs). `items` may be an async iterable (a
 * live loop's new segments): items are taken as the queue has room, and a
 * `localPath` already taken in this call is not fetched twice.
 *
 * A file that still fails is reported in `summary.failed` (the call does
 * not throw for it: the caller decides, the CLI exits 1). Resume state is
 * a journal in `outputDir`, removed when the run leaves no part behind.
 */
export async function downloadFiles(
  items: Iterable<DownloadPlanItem> | AsyncIterable<DownloadPlanItem>,
  options: DownloadFilesOptions,
): Promise<DownloadSummary> {
  const threads = expectInteger('threads', options.threads ?? 8, 1, 1024);
  const retries = expectInteger('retries', options.retries ?? 5, 0, 100);
  const timeout = expectInteger('timeout', options.timeout ?? 30_000, 1);
  const retryDelay = expectInteger('retryDelay', options.retryDelay ?? 500, 0);
  if (typeof options.outputDir !== 'string' || options.outputDir === '') {
    throw invalidOption('outputDir', 'a directory path', options.outputDir);
  }
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const outputDir = resolve(options.outputDir);
  const started = performance.now();
  const warnings = new WarningLog<DashgetWarningCode>(options.onWarning);
  const existing = new ExistingFiles();
  await existing.names(outputDir);
  const journal = await ResumeJournal.open(outputDir);
  const client = createHttpClient({ threads, retries, timeout, retryDelay });

  const byRepresentation = new Map<string, RepresentationSummary>();
  const failed: FailedDownload[] = [];
  const taken = new Set<string>();
  const totals = { files: 0, segments: 0, filesDone: 0, segmentsDone: 0, bytes: 0 };
  // A plan given whole is counted whole from the start: the queue takes items as it has room,
  // so counting them as taken made the fraction done fall back (47% after 50%).
  const planned = Array.isArray(items) ? planTotals(items) : undefined;
  let lastReport = 0;
  const report = (force: boolean) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL) return;
    lastReport = now;
    const total = planned?.files ?? totals.files;
    onProgress({
      transferred: totals.filesDone,
      total,
      percent: total === 0 ? 1 : totals.filesDone / total,
      unit: 'files',
      bytes: totals.bytes,
      segments: totals.segmentsDone,
      segmentsTotal: planned?.segments ?? totals.segments,
      elapsed: now - started,
    });
  };
  const context = {
    http: client,
    journal,
    existing,
    signal,
    onBytes(count: number) {
      totals.bytes += count;
      report(false);
    },
    onNotice(code: DashgetWarningCode, url: string) {
      warnings.add(
        code,
        code === DashgetWarningCode.RangeIgnored
          ? 'the server ignored a Range request: fetched whole'
          : 'a part file could not be continued (the resource changed, or its validator is unknown): fetched again',
        { source: shownUrl(url) },
      );
    },
  };

  const run = async (item: DownloadPlanItem, target: string, stats: RepresentationSummary) => {
    try {
      signal?.throwIfAborted();
      const result = await fetchFile(item, target, context);
      if (result.outcome === 'skipped') stats.skipped++;
      if (result.resumed) stats.resumed++;
      if (result.source > 0) {
        warnings.add(DashgetWarningCode.FallbackUsed, 'fetched from a fallback BaseURL', {
          source: shownUrl(item.url),
        });
      }
      stats.bytes += result.bytes;
      stats.downloadedBytes += result.downloaded;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      stats.failed++;
      failed.push({
        url: shownUrl(item.url),
        localPath: item.localPath,
        representationId: item.representationId,
        kind: item.kind,
        reason: describeError(error),
      });
    }
    totals.filesDone++;
    totals.segmentsDone += item.segments;
    report(true);
  };

  const queue = new PQueue({ concurrency: threads });
  let aborted: unknown;
  const tasks: Promise<void>[] = [];
  try {
    for await (const item of items) {
      signal?.throwIfAborted();
      const target = targetPath(outputDir, item.localPath);
      if (taken.has(item.localPath)) continue;
      taken.add(item.localPath);
      let stats = byRepresentation.get(item.representationId);
      if (stats === undefined) {
        stats = {
          representationId: item.representationId,
          files: 0,
          segments: 0,
          bytes: 0,
          downloadedBytes: 0,
          skipped: 0,
          resumed: 0,
          failed: 0,
        };
        byRepresentation.set(item.representationId, stats);
      }
      stats.files++;
      stats.segments += item.segments;
      totals.files++;
      totals.segments += item.segments;
      const task = queue
        .add(() => run(item, target, stats))
        .catch((error: unknown) => {
          aborted ??= error;
        });
      tasks.push(task);
      // A live plan may go on for hours: hold items back while the queue is full.
      if (queue.size >= threads * 4) await queue.onSizeLessThan(threads * 2);
    }
    await Promise.all(tasks);
    if (aborted !== undefined) throw aborted;
    signal?.throwIfAborted();
  } finally {
    queue.clear();
    await Promise.allSettled(tasks);
    await client.close();
    if (failed.length === 0 && !signal?.aborted && aborted === undefined) await journal.remove();
    else await journal.close();
  }
  report(true);
  const representations = [...byRepresentation.values()];
  const sum = (key: 'bytes' | 'downloadedBytes' | 'skipped' | 'resumed') =>
    representations.reduce((total, stats) => total + stats[key], 0);
  return {
    files: totals.files,
    segments: totals.segments,
    bytes: sum('bytes'),
    downloadedBytes: sum('downloadedBytes'),
    skipped: sum('skipped'),
    resumed: sum('resumed'),
    failed,
    representations,
    warnings: warnings.list(),
    elapsed: performance.now() - started,
  };
}

/**
 * The absolute path of `localPath` under `outputDir`, checked again here
 * (a caller may build items itself): relative, `/`-separated, no `.`/`..`
 * segment, no NUL or backslash, and inside the directory once joined.
 */
function targetPath(outputDir: string, localPath: string): string {
  const segments = typeof localPath === 'string' ? localPath.split('/') : [];
  const bad =
    segments.length === 0 ||
    isAbsolute(localPath) ||
    segments.some(
      (segment) => segment === '' || segment === '.' || segment === '..' || /[\\\0]/.test(segment),
    );
  const target = bad ? '' : join(outputDir, ...segments);
  if (bad || !target.startsWith(outputDir + sep)) {
    throw invalidOption('localPath', 'a relative path inside the output directory', localPath);
  }
  return target;
}

/** Files and media segments of a whole plan, a file taken twice counted once (as the loop skips it). */
function planTotals(items: readonly DownloadPlanItem[]): { files: number; segments: number } {
  const paths = new Set<string>();
  let segments = 0;
  for (const item of items) {
    if (paths.has(item.localPath)) continue;
    paths.add(item.localPath);
    segments += item.segments;
  }
  return { files: paths.size, segments };
}

function shownUrl(url: string): string {
  return url.split(/[?#]/)[0] ?? '';
}
