import type { RecWarning } from '@rec/core';
import { WarningLog } from '@rec/core';
import { MpdWarningCode } from '../MpdWarningCode.js';
import type { Mpd } from '../model/Mpd.js';
import type { UtcTiming } from '../model/UtcTiming.js';
import { parseXsDateTime } from '../values/xsDateTime.js';

/** What `syncClock` may use: the package does no I/O of its own. */
export interface ClockOptions {
  /** The local wall clock, ms since the epoch (default `Date.now`). */
  now?: () => number;
  /**
   * Fetches a UTCTiming URL: `GET` returns the body (http-iso, http-xsdate),
   * `HEAD` the `Date` header (http-head). Without it only `direct` timings
   * can be used.
   */
  fetchTime?: (
    url: string,
    method: 'GET' | 'HEAD',
    signal?: AbortSignal,
  ) => Promise<{ body: string; date?: string }>;
  signal?: AbortSignal;
}

export interface ClockSync {
  /** Milliseconds to add to the local clock to get the server's. */
  offset: number;
  /** The UTCTiming used, `null` for the local clock. */
  source: UtcTiming | null;
  warnings: RecWarning<MpdWarningCode>[];
}

/**
 * The offset between the local clock and the one a dynamic MPD's
 * `UTCTiming` elements point at (ISO/IEC 23009-1 5.8.4.11, DASH-IF IOP
 * 4.7), trying them in order: `direct` (the value is the time),
 * `http-xsdate` / `http-iso` (GET, the body is an xs:dateTime or ISO
 * 8601 time), `http-head` (HEAD, the `Date` header). Network round trips
 * are halved. NTP schemes are not supported. With none usable the local
 * clock is used, with an `MPD_CLOCK_LOCAL` warning.
 */
export async function syncClock(mpd: Mpd, options: ClockOptions = {}): Promise<ClockSync> {
  const now = options.now ?? Date.now;
  const warnings = new WarningLog<MpdWarningCode>();
  for (const timing of mpd.utcTimings) {
    options.signal?.throwIfAborted();
    try {
      const offset = await measure(timing, mpd.manifestUrl, now, options);
      if (offset !== undefined) return { offset, source: timing, warnings: warnings.list() };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      warnings.add(
        MpdWarningCode.UtcTimingFailed,
        `UTCTiming ${timing.schemeIdUri} ${timing.value}: ${(error as Error).message}`,
      );
    }
  }
  warnings.add(
    MpdWarningCode.LocalClock,
    mpd.utcTimings.length === 0
      ? 'no UTCTiming in the MPD: the local clock is used'
      : 'no UTCTiming could be used: the local clock is used',
  );
  return { offset: 0, source: null, warnings: warnings.list() };
}

async function measure(
  timing: UtcTiming,
  manifestUrl: string,
  now: () => number,
  options: ClockOptions,
): Promise<number | undefined> {
  if (timing.scheme === 'direct') {
    const server = parseServerTime(timing.value);
    if (server === undefined) throw new Error(`${JSON.stringify(timing.value)} is not a time`);
    return server - now();
  }
  if (timing.scheme !== 'http-iso' && timing.scheme !== 'http-xsdate' && timing.scheme !== 'http-head') {
    throw new Error('scheme not supported');
  }
  if (!options.fetchTime) throw new Error('no fetchTime given to reach it');
  let lastError: unknown = new Error('no URL in @value');
  // @value may list several URLs, separated by white space.
  for (const reference of timing.value.split(/\s+/).filter(Boolean)) {
    const url = URL.parse(reference, manifestUrl);
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      lastError = new Error(`${JSON.stringify(reference)} is not an http(s) URL`);
      continue;
    }
    try {
      const sent = now();
      const response = await options.fetchTime(
        url.href,
        timing.scheme === 'http-head' ? 'HEAD' : 'GET',
        options.signal,
      );
      const received = now();
      const text = timing.scheme === 'http-head' ? response.date : response.body;
      const server = text === undefined ? undefined : parseServerTime(text, timing.scheme === 'http-head');
      if (server === undefined) throw new Error(`answered ${JSON.stringify(text?.slice(0, 60))}, not a time`);
      return server - (sent + received) / 2;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/** An xs:dateTime / ISO 8601 instant, seconds or ms since the epoch, or (HEAD) an HTTP date. */
function parseServerTime(text: string, httpDate = false): number | undefined {
  const trimmed = text.trim();
  if (httpDate) {
    const value = Date.parse(trimmed);
    return Number.isFinite(value) ? value : undefined;
  }
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) {
    const value = Number(trimmed);
    return value > 1e11 ? value : value * 1000;
  }
  return parseXsDateTime(trimmed) ?? (Number.isFinite(Date.parse(trimmed)) ? Date.parse(trimmed) : undefined);
}
