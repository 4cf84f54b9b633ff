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
      slots.push({ time, duration: run.d, number: run.n0 + Number(j), position: run.p0 + Number(j) });
      time += step;
    }
  }
  return slots;
}
