import { MpdWarningCode } from '../MpdWarningCode.js';
import type { WantedSegments } from './bounds.js';
import type { AddressingContext } from './RepresentationSegments.js';
import { type SegmentRun, trimRuns } from './SegmentRun.js';

/** One segment of a run, before it has a URL. */
export interface SegmentSlot {
  time: bigint;
  duration: number;
  number: number;
  /** Position among all segments of the listing (0 for the first segment of the first `S`). */
  position: number;
  /** The run's `k`: the slot is a Segment Sequence of that many Segments. */
  k?: number;
}

/**
 * Cuts runs to the live window and to `maxSegments` (with an
 * `MPD_SEGMENTS_CAPPED` warning), then lists their segments.
 */
export function materializeRuns(
  runs: readonly SegmentRun[],
  wanted: WantedSegments,
  context: AddressingContext,
): SegmentSlot[] {
  const { runs: kept, cut } = trimRuns(runs, {
    lowEnd: wanted.lowEnd,
    keepNewest: wanted.keepNewest,
    max: context.maxSegments,
    keep: wanted.keep,
  });
  const newest = runs.at(-1);
  const { lowEnd, bounds } = wanted;
  // A Period that ended before the window is past, not stale.
  const running = lowEnd !== undefined && (bounds.startBefore === undefined || bounds.startBefore > lowEnd);
  if (kept.length === 0 && newest !== undefined && lowEnd !== undefined && running) {
    const ended = newest.t0 + (newest.to + 1n) * BigInt(newest.d);
    context.warnings.add(
      MpdWarningCode.StaleSegments,
      `${context.representation.element.path}: every listed segment ended before the time-shift window (the newest ${behind(Number(lowEnd - ended) / wanted.timescale)} before its start): none is available now (a saved copy of a live MPD?)`,
    );
  }
  if (cut > 0n) {
    context.warnings.add(
      MpdWarningCode.SegmentsCapped,
      `${context.representation.element.path}: ${cut} segments past maxSegments ${context.maxSegments} left out (the ${wanted.keep === 'first' ? 'last' : 'oldest'} ones)`,
    );
  }
  const slots: SegmentSlot[] = [];
  for (const run of kept) {
    const step = BigInt(run.d);
    let time = run.t0 + run.from * step;
    // At most maxSegments iterations in all (trimRuns cut the rest).
    for (let j = run.from; j <= run.to; j++) {
      const slot: SegmentSlot = {
        time,
        duration: run.d,
        number: run.n0 + Number(j),
        position: run.p0 + Number(j),
      };
      if (run.k !== undefined) slot.k = run.k;
      slots.push(slot);
      time += step;
    }
  }
  return slots;
}

/** How long before the window a segment ended: days for a copy saved years ago, else seconds. */
function behind(seconds: number): string {
  return seconds >= 2 * 86_400 ? `${Math.round(seconds / 86_400)} days` : `${Number(seconds.toFixed(3))} s`;
}
