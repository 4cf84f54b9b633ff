import { MpdError } from '../MpdError.js';
import type { MediaBounds } from './SegmentRun.js';

/** Farther than any media time (2^64 is the largest S@t). */
const FAR = 1n << 80n;

/**
 * Seconds as media ticks (`round` or `floor`), for bounds: a product past
 * the doubles (P100000000Y at a timescale of 10^9) is "farther than any
 * media time", never a RangeError from BigInt(Infinity).
 */
export function secondsToTicks(
  seconds: number,
  timescale: number,
  round: 'round' | 'floor' = 'round',
): bigint {
  const ticks = seconds * timescale;
  if (Number.isNaN(ticks)) return 0n;
  if (!Number.isFinite(ticks) || Math.abs(ticks) > 2 ** 80) return ticks > 0 ? FAR : -FAR;
  return BigInt(round === 'round' ? Math.round(ticks) : Math.floor(ticks));
}

/**
 * The longest segment of a timeline or `@duration`, in seconds: how early a
 * segment may be available at most (`@availabilityTimeOffset` beyond it,
 * INF included, would make segments available before they begin).
 */
export function longestSegment(
  duration: number | undefined,
  timeline: readonly { d: number; pattern?: { pieces: readonly { d: number }[] } }[] | undefined,
  timescale: number,
): number {
  let longest = duration ?? 0;
  for (const entry of timeline ?? []) {
    longest = Math.max(longest, entry.d, ...(entry.pattern?.pieces.map((piece) => piece.d) ?? []));
  }
  return longest / timescale;
}

/** The duration in ticks of a segment that lasts `seconds`, when it fits a safe integer. */
export function segmentTicks(seconds: number, timescale: number, path: string): number {
  const ticks = Math.round(seconds * timescale);
  if (!Number.isSafeInteger(ticks)) {
    throw new MpdError(
      'MPD_UNSUPPORTED',
      `a segment of ${seconds} s at timescale ${timescale} is past 2^53 ticks`,
      {
        path,
      },
    );
  }
  return ticks;
}

/** Where a dynamic MPD's live edge is, relative to one Period (23009-1 5.3.9.5.3, 5.4). */
export interface LiveEdge {
  /** Wall-clock now in seconds since the Period start (now - availabilityStartTime - PeriodStart). */
  now: number;
  /** Seconds of past segments wanted: the timeShiftBufferDepth, else the caller's window (0: the newest only). */
  depth: number;
  /**
   * Keep the newest available segment even when it ends before `now - depth`:
   * no timeShiftBufferDepth and the Period still running (the live edge).
   */
  keepNewest: boolean;
}

export interface WantedSegments {
  bounds: MediaBounds;
  timescale: number;
  /** Live: drop segments ending before this (the time-shift window's start). */
  lowEnd?: bigint;
  /** ... but keep the newest one (the live edge, when there is no time-shift window). */
  keepNewest?: boolean;
  /** Where `r="-1"` on the last `S` stops: the Period end, else the live edge. */
  repeatUntil?: bigint;
  /** Which end `maxSegments` keeps: the first (static) or the newest (live). */
  keep: 'first' | 'last';
}

/**
 * The segments of a Period wanted in media time (timescale units, the
 * presentationTimeOffset at the Period start): those inside the Period and,
 * live, those available now (23009-1 5.3.9.5.3: a segment is available from
 * AST + PeriodStart + its end - availabilityTimeOffset, until timeShiftBufferDepth later).
 *
 * `availabilityTimeOffset` is clamped to `maxOffset`, the longest segment
 * (INF would make every future segment available: it is read as "as soon
 * as it starts").
 */
export function wantedSegments(
  timescale: number,
  pto: bigint,
  periodDuration: number | null,
  live: LiveEdge | undefined,
  availabilityTimeOffset: number,
  maxOffset: number,
): WantedSegments {
  const ticks = (seconds: number): bigint => pto + secondsToTicks(seconds, timescale);
  const bounds: MediaBounds = { endAfter: pto };
  if (periodDuration !== null) bounds.startBefore = ticks(periodDuration);
  if (!live) return { bounds, timescale, repeatUntil: bounds.startBefore, keep: 'first' };
  const offset = Math.max(0, Math.min(availabilityTimeOffset, maxOffset));
  // Floor, so a segment that ends a fraction of a tick after now is not yet available.
  bounds.endAtMost = pto + secondsToTicks(live.now + offset, timescale, 'floor');
  return {
    bounds,
    timescale,
    lowEnd: ticks(live.now - live.depth),
    keepNewest: live.keepNewest,
    repeatUntil: bounds.startBefore ?? bounds.endAtMost,
    keep: 'last',
  };
}
