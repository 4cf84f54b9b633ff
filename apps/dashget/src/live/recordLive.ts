import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  backoffDelay,
  expectInteger,
  expectNumber,
  invalidOption,
  makeProgress,
  type Progress,
  type ProgressListener,
  ProgressUnit,
  type RecWarning,
  sleep,
  type TimeRange,
  WarningLog,
} from '@rec/core';
import { writeFileAtomic } from '@rec/core/node';
import {
  type ClockOptions,
  localPathFor,
  type Mpd,
  MpdError,
  type MpdWarningCode,
  parseMpd,
  type RepresentationSelection,
  type ResolvedMpd,
  resolveMpd,
  resolveXlinks,
} from '@rec/mpd';
import PQueue from 'p-queue';
import { DashgetError } from '../DashgetError.js';
import type { DashgetWarningCode } from '../DashgetWarningCode.js';
import {
  type DownloadPlanItem,
  type DownloadSummary,
  downloadFiles,
  type FailedDownload,
  planDownload,
} from '../download/index.js';
import { checkEntityUrl } from '../manifest/remoteEntity.js';
import { type FetchManifest, fetchManifest, fetchTime } from './fetchManifest.js';
import { LiveClock, type LiveClockSummary } from './LiveClock.js';
import { type LiveFile, LiveTracks, type NewMedia } from './LiveTracks.js';
import { LiveWarningCode } from './LiveWarningCode.js';
import { staticMpdText } from './staticMpd.js';

export interface RecordLiveOptions {
  /** The dynamic MPD's URL (http or https; file: is read from disk). */
  manifestUrl: string;
  /** Seconds of media to record, from the live edge. */
  duration: number;
  /** Where the files go (the manifest's URL layout, as `downloadFiles` mirrors it) and the static MPD. */
  outputDir: string;
  /** Parallel downloads; default 8. */
  threads?: number;
  /** Retries per request (on 5xx, 408, 429, resets, timeouts); default 5. */
  retries?: number;
  /** Which Representations (default: all). */
  select?: RepresentationSelection;
  /** Aborting stops every transfer and rejects with `signal.reason`; no static MPD is written. */
  signal?: AbortSignal;
  onProgress?: ProgressListener<LiveProgress>;
  /** Reads the manifest (default: undici for http(s), the file system for file:). */
  fetchManifest?: FetchManifest;
  /** Reads UTCTiming sources for `syncClock` (default: undici). */
  fetchTime?: ClockOptions['fetchTime'];
  /**
   * Milliseconds a failing segment is tried again from its first failure (a 404 while the origin
   * does not have it yet); default 10 s or three segment durations, whichever is longer.
   */
  segmentGrace?: number;
  /** The local wall clock, ms since the epoch (default `Date.now`); the server's is this plus the UTCTiming offset. */
  now?: () => number;
  /**
   * Milliseconds between two measurements of the server clock (UTCTiming, from the newest
   * manifest); default 60 s. The last offset measured applies from then on; `Infinity` measures
   * once, at the start.
   */
  clockSyncInterval?: number;
}

/** Progress of a live recording: media seconds recorded (`transferred`) of `duration` (`total`). */
export interface LiveProgress extends Progress {
  /** Files downloaded (init and media segments). */
  files: number;
  /** Files planned, still queued, in flight or waiting to be retried. */
  pending: number;
  failed: number;
  /** Bytes on disk of the files downloaded. */
  bytes: number;
}

/** Why a recording stopped. */
export type LiveEnd =
  /** Every Representation reached the end of the window. */
  | 'duration'
  /** The manifest turned static: what it listed of the window was recorded. */
  | 'static'
  /** No new segment for too long (see `Stalled`). */
  | 'stalled';

export interface LiveRecordingSummary extends Omit<DownloadSummary, 'warnings'> {
  /** The static MPD written, an absolute path. */
  mpdPath: string;
  /** Its `@mediaPresentationDuration`, seconds. */
  duration: number;
  /** The window asked for, on the source's presentation timeline (seconds). */
  window: TimeRange;
  /** Manifest reads, the first one included. */
  refreshes: number;
  end: LiveEnd;
  /** The server clock as measured over the recording (UTCTiming re-syncs and their drift). */
  clock: LiveClockSummary;
  warnings: RecWarning<LiveWarningCode | MpdWarningCode | DashgetWarningCode>[];
}

/** Default time between two measurements of the server clock. */
const CLOCK_SYNC_INTERVAL_MS = 60_000;

/** How long a segment that fails (a 404 before the origin has it, a 5xx that outlived the retries) is tried again. */
const MIN_SEGMENT_GRACE_MS = 10_000;
/** No new segment for this long (or 4 segment durations, or 3 update periods) ends the recording. */
const MIN_STALL_MS = 30_000;

/**
 * Records a dynamic MPD (ISO/IEC 23009-1 5.4) for `duration` seconds from
 * its live edge: reads the manifest again every `@minimumUpdatePeriod`
 * (from its `Location` when it names one), resolves it at the server's
 * clock (`syncClock`: UTCTiming, else the local clock with a warning),
 * and hands each new segment to `downloadFiles` as soon as it is listed,
 * `threads` at a time. A segment is new when no earlier refresh listed its
 * Representation and media time; the window starts at the newest segment
 * listed at the first read and ends `duration` seconds later. A segment
 * that fails (announced before the origin serves it: 404) is tried again
 * for a while, then reported in `failed`.
 *
 * Ends when every Representation has a segment reaching the window's end,
 * when the manifest turns static (its segments in the window are
 * recorded), or when nothing new comes for too long; then writes a static
 * MPD (`staticMpdText`) over the downloaded files in place of the
 * manifest (its name under `outputDir`), atomically. A manifest that is
 * static from the start has its first `duration` seconds recorded.
 */
export async function recordLive(options: RecordLiveOptions): Promise<LiveRecordingSummary> {
  if (typeof options.manifestUrl !== 'string' || !URL.canParse(options.manifestUrl)) {
    throw invalidOption('manifestUrl', 'an absolute URL', options.manifestUrl);
  }
  const duration = options.duration;
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration <= 0) {
    throw invalidOption('duration', 'a finite number of seconds above 0', duration);
  }
  const threads = expectInteger('threads', options.threads ?? 8, 1, 1024);
  const retries = expectInteger('retries', options.retries ?? 5, 0, 100);
  const segmentGrace =
    options.segmentGrace === undefined ? undefined : expectNumber('segmentGrace', options.segmentGrace, 0);
  const clockSyncInterval =
    options.clockSyncInterval === Number.POSITIVE_INFINITY
      ? Number.POSITIVE_INFINITY
      : expectNumber('clockSyncInterval', options.clockSyncInterval ?? CLOCK_SYNC_INTERVAL_MS, 0);
  if (typeof options.outputDir !== 'string' || options.outputDir === '') {
    throw invalidOption('outputDir', 'a directory path', options.outputDir);
  }
  options.signal?.throwIfAborted();
  const outputDir = resolve(options.outputDir);
  const localNow = options.now ?? Date.now;
  const load = options.fetchManifest ?? fetchManifest;
  // A download that throws (not a failed file: the summary has those) stops everything with its error.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const warnings = new WarningLog<LiveWarningCode | MpdWarningCode | DashgetWarningCode>();
  const mpdWarnings = new Set<string>();

  let next = options.manifestUrl;
  /** The first manifest URL after redirects: local paths are relative to its directory for the whole recording. */
  let base: string | undefined;
  const read = async (): Promise<Mpd> => {
    const fetched = await load(next, signal);
    const parsed = parseMpd(fetched.body, { url: fetched.url });
    const mpd = await resolveXlinks(parsed, {
      signal,
      load: async (url, abort) => {
        checkEntityUrl(url, parsed.manifestUrl);
        return (await load(url, abort)).body;
      },
    });
    base ??= fetched.url;
    // 23009-1 5.3.1.2: Location, where the MPD is available (later refreshes read it there).
    const location = mpd.locations[0];
    if (location !== undefined && location !== next) {
      warnings.add(LiveWarningCode.Relocated, `the manifest moved to ${shown(location)} (Location)`);
      next = location;
    }
    return mpd;
  };

  const tracks = new LiveTracks();
  const queue = new PQueue({ concurrency: threads });
  const pending = new Set<Promise<void>>();
  const totals = new SummaryTotals();
  let window: TimeRange | undefined;

  const report = () => {
    if (!options.onProgress || !window) return;
    const files = tracks.files();
    const done = files.filter((file) => file.status === 'done');
    const reached = Math.max(window.start, ...done.map((file) => file.segment?.end ?? window!.start));
    options.onProgress({
      ...makeProgress(Math.min(duration, reached - window.start), duration, ProgressUnit.Seconds),
      files: done.length,
      pending: files.filter((file) => file.status === 'queued').length,
      failed: files.filter((file) => file.status === 'failed').length,
      bytes: done.reduce((total, file) => total + file.bytes, 0),
    });
  };

  /** One file, tried until it is there or its grace time is over; waits between tries hold no download slot. */
  const fetchOne = async (file: LiveFile, item: DownloadPlanItem) => {
    const segmentSeconds = file.segment ? file.segment.end - file.segment.start : 0;
    const graceMs = segmentGrace ?? Math.max(MIN_SEGMENT_GRACE_MS, 3 * segmentSeconds * 1000);
    let giveUpAt: number | undefined;
    for (let attempt = 0; ; attempt++) {
      const summary = await queue.add(() => downloadOne(item, { outputDir, retries, signal }));
      if (summary === undefined) throw signal.reason;
      giveUpAt ??= localNow() + graceMs;
      if (summary.failed.length === 0 || localNow() >= giveUpAt) {
        file.status = summary.failed.length === 0 ? 'done' : 'failed';
        file.bytes = summary.bytes;
        totals.add(summary);
        report();
        return;
      }
      await sleep(backoffDelay(attempt, { base: 1000, cap: 2000 }), signal);
    }
  };

  const enqueue = (fresh: NewMedia) => {
    const items = new Map(
      planDownload(fresh.resolved, { manifestUrl: base }).map((item) => [item.url, item]),
    );
    for (const file of fresh.files) {
      const item = items.get(file.url) as DownloadPlanItem;
      const owner = totals.claim(item);
      if (owner !== undefined) {
        warnings.add(
          LiveWarningCode.PathTaken,
          `${shown(item.url)} would be saved as ${item.localPath}, already the file of ${shown(owner)}: not downloaded`,
        );
        file.status = 'failed';
        continue;
      }
      file.localPath = item.localPath;
      file.status = 'queued';
      const task: Promise<void> = fetchOne(file, item)
        .catch((error: unknown) => {
          if (!signal.aborted) stop.abort(error);
        })
        .finally(() => pending.delete(task));
      pending.add(task);
    }
  };

  let refreshes = 0;
  try {
    let mpd = await firstRead(read, retries, signal);
    refreshes++;
    let lastRead = localNow();
    const startedStatic = !isLive(mpd);
    if (startedStatic) {
      warnings.add(
        LiveWarningCode.NotDynamic,
        `the manifest is static: its first ${duration} s are recorded`,
      );
    }
    const clock = new LiveClock({
      localNow,
      fetchTime: options.fetchTime ?? fetchTime,
      interval: clockSyncInterval,
    });
    if (!startedStatic) await clock.sync(mpd, warnings, signal);
    const skipped = new Set<string>();

    let previousNow: number | undefined;
    let lastNew = localNow();
    let end: LiveEnd;
    for (;;) {
      signal.throwIfAborted();
      const live = isLive(mpd);
      if (live) await clock.resyncIfDue(mpd, warnings, signal);
      const now = clock.now();
      // Every segment that became available since the last resolve (and a margin), never more;
      // a re-sync that moves the clock back makes the step negative: the margin still covers it.
      const liveWindow =
        previousNow === undefined
          ? 0
          : Math.max(0, (now - previousNow) / 1000) + 2 * (mpd.maxSegmentDuration ?? 10);
      const resolved = recordable(
        await resolveMpd(mpd, { now, liveWindow, select: options.select, signal }),
        skipped,
        warnings,
      );
      previousNow = now;
      for (const warning of resolved.warnings) {
        if (mpdWarnings.has(warning.code)) continue;
        mpdWarnings.add(warning.code);
        warnings.merge([warning]);
      }
      window ??= LiveTracks.windowAt(resolved, duration, live ? 'edge' : 'start');
      if (window) {
        const fresh = tracks.add(resolved, window);
        if (fresh.files.length > 0) {
          lastNew = localNow();
          enqueue(fresh);
        }
      }
      if (!live) {
        end = startedStatic ? 'duration' : 'static';
        break;
      }
      if (window && LiveTracks.reaches(resolved, window.end)) {
        end = 'duration';
        break;
      }
      if (localNow() - lastNew > stallMs(mpd)) {
        warnings.add(
          LiveWarningCode.Stalled,
          `no new segment for ${Math.round((localNow() - lastNew) / 1000)} s: the recording ends short`,
        );
        end = 'stalled';
        break;
      }
      await sleep(tickMs(mpd), signal);
      const period = mpd.minimumUpdatePeriod;
      // Without @minimumUpdatePeriod the MPD never changes (5.4.1): its templates are resolved at later clocks only.
      if (period !== null && localNow() - lastRead >= period * 1000) {
        try {
          mpd = await read();
          refreshes++;
          lastRead = localNow();
          if (!isLive(mpd)) {
            warnings.add(
              LiveWarningCode.TurnedStatic,
              'the manifest turned static: the recording ends with it',
            );
          }
        } catch (error) {
          if (signal.aborted) throw signal.reason;
          warnings.add(LiveWarningCode.RefreshFailed, `a manifest refresh failed: ${message(error)}`);
        }
      }
    }

    while (pending.size > 0) await Promise.all(pending);
    signal.throwIfAborted();
    const recordedTracks = tracks.recorded();
    if (!recordedTracks.some((track) => track.segments.length > 0)) {
      // An MPD without a Period is no MPD (23009-1 5.3.1.2): say what happened instead.
      const { failed } = totals.summary();
      throw new DashgetError(
        'DASHGET_DOWNLOAD_FAILED',
        failed.length > 0
          ? `nothing was recorded: ${failed.length} segments failed (${failed[0]?.url}: ${failed[0]?.reason})`
          : `nothing was recorded: the manifest listed no segment in ${Math.round((localNow() - lastNew) / 1000)} s`,
      );
    }
    const { text, duration: recorded } = staticMpdText(mpd, recordedTracks);
    const mpdName = localPathFor(base as string, base as string);
    const mpdPath = join(outputDir, ...mpdName.split('/'));
    try {
      await mkdir(dirname(mpdPath), { recursive: true });
      await writeFileAtomic(mpdPath, text, { signal });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new DashgetError('DASHGET_OUTPUT_IO', `could not write ${mpdPath}: ${message(error)}`, {
        cause: error,
      });
    }
    warnings.merge(totals.warnings.list());
    return {
      ...totals.summary(),
      mpdPath,
      duration: recorded,
      window: window ?? { start: 0, end: 0 },
      refreshes,
      end,
      clock: clock.summary(),
      warnings: warnings.list(),
    };
  } catch (error) {
    if (!stop.signal.aborted) stop.abort(error);
    queue.clear();
    await Promise.allSettled(pending);
    throw options.signal?.aborted ? options.signal.reason : error;
  }
}

/**
 * `downloadFiles` for one file, under a signal of its own: got 14.6 left
 * one 'abort' listener on the signal of every stream request that completed
 * (+1 per file on one shared signal), so a recording of hours piled them
 * onto the caller's signal. dashget's own client removes its listener when
 * the response closes (test/httpClient.test.ts); the signal of its own
 * keeps the caller's signal free of whatever a client does.
 */
async function downloadOne(
  item: DownloadPlanItem,
  options: { outputDir: string; retries: number; signal: AbortSignal },
): Promise<DownloadSummary> {
  const { signal } = options;
  signal.throwIfAborted();
  const own = new AbortController();
  const forward = () => own.abort(signal.reason);
  signal.addEventListener('abort', forward, { once: true });
  try {
    return await downloadFiles([item], { ...options, threads: 1, signal: own.signal });
  } finally {
    signal.removeEventListener('abort', forward);
  }
}

/**
 * `resolved` without the Representations a live recording cannot follow
 * (each left out once, with a warning): SegmentBase (its segments are
 * subsegments of one file, listed by a sidx that is not read here) and a
 * SegmentList of byte ranges (one file for every segment, growing while
 * live: the recording's files are one per segment). Throws
 * `DASHGET_LIVE_UNSUPPORTED` when nothing is left to record.
 */
function recordable(
  resolved: ResolvedMpd,
  skipped: Set<string>,
  warnings: WarningLog<LiveWarningCode | MpdWarningCode | DashgetWarningCode>,
): ResolvedMpd {
  let any = false;
  let kept = 0;
  const periods = resolved.periods.map((period) => ({
    ...period,
    adaptationSets: period.adaptationSets.map((set) => ({
      ...set,
      representations: set.representations.filter((rep) => {
        any = true;
        const mode = rep.representation.segmentInfo.mode;
        const ranged = mode === 'list' && rep.segments.some((segment) => segment.range !== undefined);
        if (mode !== 'base' && !ranged && rep.index === undefined) {
          kept++;
          return true;
        }
        const id = rep.representation.id;
        if (!skipped.has(id)) {
          skipped.add(id);
          warnings.add(
            LiveWarningCode.AddressingUnsupported,
            `Representation ${id}: ${mode === 'base' ? 'SegmentBase' : 'a SegmentList of byte ranges'} is not recorded live (one file for every segment); left out`,
          );
        }
        return false;
      }),
    })),
  }));
  if (any && kept === 0) {
    throw new DashgetError(
      'DASHGET_LIVE_UNSUPPORTED',
      'every selected Representation is addressed by SegmentBase or a byte-ranged SegmentList, which a live recording cannot follow',
    );
  }
  return { ...resolved, periods };
}

/** Dynamic with an availabilityStartTime: without one it is resolved as static (an `MPD_NO_AVAILABILITY_START` warning). */
function isLive(mpd: Mpd): boolean {
  return mpd.type === 'dynamic' && mpd.availabilityStartTime !== null;
}

/** The first read, tried `retries` more times: without a manifest there is nothing to record. */
async function firstRead(read: () => Promise<Mpd>, retries: number, signal: AbortSignal): Promise<Mpd> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      // A manifest that does not parse will not parse better the next time.
      if (error instanceof MpdError) throw error;
      if (attempt >= retries) {
        throw new DashgetError(
          'DASHGET_MANIFEST_UNAVAILABLE',
          `the manifest could not be read: ${message(error)}`,
          {
            cause: error,
          },
        );
      }
      await sleep(backoffDelay(attempt, { base: 500 }), signal);
    }
  }
}

/** How often the live loop looks again: half a segment (new `$Number$` segments), at most the update period. */
function tickMs(mpd: Mpd): number {
  const segment = mpd.maxSegmentDuration ?? 2;
  const seconds = Math.min(mpd.minimumUpdatePeriod ?? Number.POSITIVE_INFINITY, segment / 2);
  return Math.min(2000, Math.max(250, seconds * 1000));
}

function stallMs(mpd: Mpd): number {
  return Math.max(
    MIN_STALL_MS,
    4 * (mpd.maxSegmentDuration ?? 0) * 1000,
    3 * (mpd.minimumUpdatePeriod ?? 0) * 1000,
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function shown(url: string): string {
  return url.split(/[?#]/)[0] ?? '';
}

const COUNT_KEYS = ['files', 'segments', 'bytes', 'downloadedBytes', 'skipped', 'resumed'] as const;
type CountKey = (typeof COUNT_KEYS)[number];

/** The per-file summaries of `downloadFiles`, added up into one. */
class SummaryTotals {
  readonly warnings = new WarningLog<DashgetWarningCode>();
  readonly #started = performance.now();
  readonly #paths = new Map<string, string>();
  readonly #failed: FailedDownload[] = [];
  readonly #representations = new Map<string, DownloadSummary['representations'][number]>();
  readonly #counts: Record<CountKey, number> = {
    files: 0,
    segments: 0,
    bytes: 0,
    downloadedBytes: 0,
    skipped: 0,
    resumed: 0,
  };

  /** Takes `item.localPath` for `item.url`; returns the URL that has it already, if another. */
  claim(item: DownloadPlanItem): string | undefined {
    const owner = this.#paths.get(item.localPath);
    if (owner !== undefined && owner !== item.url) return owner;
    this.#paths.set(item.localPath, item.url);
    return undefined;
  }

  add(summary: DownloadSummary): void {
    for (const key of COUNT_KEYS) this.#counts[key] += summary[key];
    this.#failed.push(...summary.failed);
    this.warnings.merge(summary.warnings);
    for (const stats of summary.representations) {
      const known = this.#representations.get(stats.representationId);
      if (!known) {
        this.#representations.set(stats.representationId, { ...stats });
        continue;
      }
      for (const key of [
        'files',
        'segments',
        'bytes',
        'downloadedBytes',
        'skipped',
        'resumed',
        'failed',
      ] as const) {
        known[key] += stats[key];
      }
    }
  }

  summary(): Omit<DownloadSummary, 'warnings'> {
    return {
      ...this.#counts,
      failed: this.#failed,
      representations: [...this.#representations.values()],
      elapsed: performance.now() - this.#started,
    };
  }
}
