import type { WarningLog } from '@rec/core';
import { MpdWarningCode } from '../MpdWarningCode.js';
import type { DurationPattern, TimelineEntry } from '../model/SegmentInfo.js';
import { clampRun, type MediaBounds, runLength, type SegmentRun } from './SegmentRun.js';

export interface TimelineOptions {
  startNumber: number;
  bounds: MediaBounds;
  /** Where `r < 0` on the last `S` stops (the Period end, else the live edge); absent: it cannot repeat. */
  repeatUntil?: bigint;
  /** Stop after this many segments (a SegmentList has no more URLs). */
  maxCount?: number;
  /**
   * Live: segments ending before this are not wanted (the time-shift
   * window's start), so a Pattern's cycles before it are counted, not listed.
   */
  lowEnd?: bigint;
  /** How many segments the caller keeps at most (`maxSegments`): a Pattern lists no more than that, plus a cycle. */
  limit?: number;
  path: string;
  warnings: WarningLog<MpdWarningCode>;
}

/**
 * The runs of a SegmentTimeline (ISO/IEC 23009-1 5.3.9.6) inside `bounds`.
 * `S@t` absent: right after the previous `S` (0 for the first). `S@r`: that
 * many more segments of `@d`; `r < 0` repeats until the next `S@t`, or for
 * the last `S` until the end of the Period (`repeatUntil`), never the end
 * of the MPD. Numbers count from `@startNumber` (or `S@n`) over every
 * segment, inside the bounds or not. An `S@p` takes its durations from a
 * Pattern (`patternRuns`).
 */
export function timelineRuns(entries: readonly TimelineEntry[], options: TimelineOptions): SegmentRun[] {
  const { warnings, path } = options;
  const runs: SegmentRun[] = [];
  let cursor: bigint | undefined;
  let number = options.startNumber;
  let produced = 0n;
  const maxCount = options.maxCount === undefined ? undefined : BigInt(options.maxCount);
  for (let i = 0; i < entries.length && (maxCount === undefined || produced < maxCount); i++) {
    const entry = entries[i] as TimelineEntry;
    const t = entry.t ?? cursor ?? 0n;
    if (cursor !== undefined && t !== cursor) {
      warnings.add(
        MpdWarningCode.TimelineGap,
        `${path}: S[${i}] starts at ${t}, the previous S ended at ${cursor} (${t > cursor ? 'gap' : 'overlap'})`,
      );
    }
    const cycle = entry.pattern ? new PatternCycle(entry.pattern) : undefined;
    const step = BigInt(entry.d);
    let count: bigint;
    if (entry.r >= 0) count = BigInt(entry.r) + 1n;
    else {
      const next = entries[i + 1];
      const until = next === undefined ? options.repeatUntil : next.t;
      if (until === undefined) {
        warnings.add(
          MpdWarningCode.TimelineEntry,
          next === undefined
            ? `${path}: S[${i}] r=${entry.r} on the last S of a Period with no known end: taken as r=0`
            : `${path}: S[${i}] r=${entry.r} but the next S has no @t: taken as r=0`,
        );
        count = 1n;
      } else if (until <= t) {
        warnings.add(
          MpdWarningCode.TimelineEntry,
          `${path}: S[${i}] r=${entry.r} starts at or after its end: skipped`,
        );
        count = 0n;
      } else {
        count = cycle ? cycle.countBefore(until - t) : (until - t + step - 1n) / step;
      }
    }
    if (maxCount !== undefined && count > maxCount - produced) count = maxCount - produced;
    if (entry.n !== undefined) number = entry.n;
    if (count > 0n && cycle) {
      runs.push(...patternRuns(cycle, t, number, count, Number(produced), entry.k, options));
    } else if (count > 0n) {
      const run = clampRun(t, entry.d, number, count, options.bounds, Number(produced));
      if (run) runs.push(entry.k === undefined ? run : { ...run, k: entry.k });
    }
    cursor = t + (cycle ? cycle.ticksOf(count) : count * step);
    number += Number(count);
    produced += count;
    if (options.bounds.startBefore !== undefined && cursor >= options.bounds.startBefore) break;
  }
  return runs;
}

/**
 * A Pattern expanded from `S@pE` (6th edition): the durations it gives
 * segment after segment, one cycle being every `P` once. Kept as runs of
 * equal durations (`P@r` + 1 segments of `P@d`), so counting and skipping
 * whole cycles is arithmetic: `P@r="1000000000"` costs nothing either.
 */
class PatternCycle {
  /** The pieces in the order the S plays them, starting at `@pE`. */
  readonly pieces: { d: bigint; count: bigint }[] = [];
  /** Segments in one cycle. */
  readonly length: bigint;
  /** Ticks in one cycle. */
  readonly ticks: bigint;

  constructor(pattern: DurationPattern) {
    let skip = BigInt(pattern.offset);
    const head: { d: bigint; count: bigint }[] = [];
    const tail: { d: bigint; count: bigint }[] = [];
    for (const piece of pattern.pieces) {
      const d = BigInt(piece.d);
      const count = BigInt(piece.count);
      if (skip >= count) {
        tail.push({ d, count });
        skip -= count;
      } else if (skip > 0n) {
        tail.push({ d, count: skip });
        head.push({ d, count: count - skip });
        skip = 0n;
      } else head.push({ d, count });
    }
    this.pieces = [...head, ...tail];
    this.length = this.pieces.reduce((sum, piece) => sum + piece.count, 0n);
    this.ticks = this.pieces.reduce((sum, piece) => sum + piece.d * piece.count, 0n);
  }

  /** Ticks the first `count` segments last. */
  ticksOf(count: bigint): bigint {
    let ticks = (count / this.length) * this.ticks;
    let left = count % this.length;
    for (const piece of this.pieces) {
      if (left <= 0n) break;
      const taken = smaller(left, piece.count);
      ticks += taken * piece.d;
      left -= taken;
    }
    return ticks;
  }

  /** How many segments start within `span` ticks of the first one's start (`r < 0`). */
  countBefore(span: bigint): bigint {
    const cycles = span / this.ticks;
    let count = cycles * this.length;
    let left = span - cycles * this.ticks;
    for (const piece of this.pieces) {
      if (left <= 0n) break;
      const all = piece.d * piece.count;
      if (left >= all) {
        count += piece.count;
        left -= all;
      } else {
        count += (left + piece.d - 1n) / piece.d;
        left = 0n;
      }
    }
    return count;
  }
}

/** Runs a Pattern S lists at most, whatever its repeat count: beyond it the rest is cut with a warning. */
const MAX_PATTERN_RUNS = 100_000;

/**
 * The runs of `count` segments from `t` with durations cycling through
 * `cycle`, one run per piece per cycle, inside `bounds`. Whole cycles that
 * end before what is wanted (the Period start, the live window, or more
 * than `limit` segments before the live edge) are skipped by arithmetic,
 * numbers and positions still counting them; listing stops at the Period
 * end, the live edge, or `limit` segments in the bounds (static).
 */
function patternRuns(
  cycle: PatternCycle,
  t: bigint,
  n0: number,
  count: bigint,
  p0: number,
  k: number | undefined,
  options: TimelineOptions,
): SegmentRun[] {
  const { bounds } = options;
  const limit = BigInt(options.limit ?? Number.MAX_SAFE_INTEGER);
  let skipTo = bounds.endAfter;
  if (options.lowEnd !== undefined && options.lowEnd > skipTo) skipTo = options.lowEnd;
  if (bounds.endAtMost !== undefined) {
    // The caller keeps the newest `limit`: older cycles are never listed.
    const keep = bounds.endAtMost - ((limit + cycle.length - 1n) / cycle.length + 1n) * cycle.ticks;
    if (keep > skipTo) skipTo = keep;
  }
  let cycles = skipTo > t ? (skipTo - t) / cycle.ticks - 1n : 0n;
  if (cycles > count / cycle.length) cycles = count / cycle.length;
  if (cycles < 0n) cycles = 0n;
  let cursor = t + cycles * cycle.ticks;
  let index = cycles * cycle.length;
  const runs: SegmentRun[] = [];
  let listed = 0n;
  for (let piece = 0; index < count; piece = (piece + 1) % cycle.pieces.length) {
    const { d, count: size } = cycle.pieces[piece] as { d: bigint; count: bigint };
    const taken = smaller(size, count - index);
    const run = clampRun(cursor, Number(d), n0 + Number(index), taken, bounds, p0 + Number(index));
    if (run) {
      runs.push(k === undefined ? run : { ...run, k });
      listed += runLength(run);
    }
    cursor += taken * d;
    index += taken;
    if (bounds.startBefore !== undefined && cursor >= bounds.startBefore) break;
    if (bounds.endAtMost !== undefined && cursor >= bounds.endAtMost) break;
    if (bounds.endAtMost === undefined && listed >= limit) break;
    if (runs.length >= MAX_PATTERN_RUNS) {
      options.warnings.add(
        MpdWarningCode.SegmentsCapped,
        `${options.path}: a Pattern S of ${count} segments listed as ${MAX_PATTERN_RUNS} runs; the rest left out`,
      );
      break;
    }
  }
  return runs;
}

/** The smaller of two bigints (Math.min takes numbers only). */
function smaller(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}
