import type { WarningLog } from '@rec/core';
import { MpdWarningCode } from '../MpdWarningCode.js';
import type { TimelineEntry } from '../model/SegmentInfo.js';
import { clampRun, type MediaBounds, type SegmentRun } from './SegmentRun.js';

export interface TimelineOptions {
  startNumber: number;
  bounds: MediaBounds;
  /** Where `r < 0` on the last `S` stops (the Period end, else the live edge); absent: it cannot repeat. */
  repeatUntil?: bigint;
  /** Stop after this many segments (a SegmentList has no more URLs). */
  maxCount?: number;
  path: string;
  warnings: WarningLog<MpdWarningCode>;
}

/**
 * The runs of a SegmentTimeline (ISO/IEC 23009-1 5.3.9.6) inside `bounds`.
 * `S@t` absent: right after the previous `S` (0 for the first). `S@r`: that
 * many more segments of `@d`; `r < 0` repeats until the next `S@t`, or for
 * the last `S` until the end of the Period (`repeatUntil`), never the end
 * of the MPD. Numbers count from `@startNumber` (or `S@n`) over every
 * segment, inside the bounds or not.
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
        count = (until - t + step - 1n) / step;
      }
    }
    if (maxCount !== undefined && count > maxCount - produced) count = maxCount - produced;
    if (entry.n !== undefined) number = entry.n;
    if (count > 0n) {
      const run = clampRun(t, entry.d, number, count, options.bounds, Number(produced));
      if (run) runs.push(entry.k === undefined ? run : { ...run, k: entry.k });
    }
    cursor = t + count * step;
    number += Number(count);
    produced += count;
    if (options.bounds.startBefore !== undefined && cursor >= options.bounds.startBefore) break;
  }
  return runs;
}
