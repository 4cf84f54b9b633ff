/**
 * Segments of equal duration in a row, counted, not listed: segment `j`
 * (`from <= j <= to`) starts at media time `t0 + j * d` and has number
 * `n0 + j`. A SegmentTimeline `S` or a whole `@duration` template is one
 * run, so windows are cut by arithmetic and `r="1000000000"` costs nothing
 * until segments are listed. Indexes are bigints: a live template 55 years
 * after its availabilityStartTime at a nanosecond timescale is past 2^53.
 */
export interface SegmentRun {
  readonly t0: bigint;
  /** Duration in the timescale. */
  readonly d: number;
  readonly n0: number;
  /** Position of segment `j = 0` among all segments of the listing (a SegmentList's URL index). */
  readonly p0: number;
  readonly from: bigint;
  readonly to: bigint;
  /** Each segment of the run is a Segment Sequence of `k` Segments (`S@k`, SegmentTemplate@k); absent: not a sequence. */
  readonly k?: number;
}

/** Which segments are wanted, in media time (the timescale, presentationTimeOffset included). */
export interface MediaBounds {
  /** Keep segments that end after this: the Period start (`@presentationTimeOffset`). */
  endAfter: bigint;
  /** Keep segments that start before this: the Period end, when known. */
  startBefore?: bigint;
  /** Keep segments that end at or before this: the newest available (live). */
  endAtMost?: bigint;
}

/** The part of `count` segments from `t0` (every `d`) inside `bounds`; `undefined` if none. */
export function clampRun(
  t0: bigint,
  d: number,
  n0: number,
  count: bigint | undefined,
  bounds: MediaBounds,
  p0 = 0,
): SegmentRun | undefined {
  const step = BigInt(d);
  let from = 0n;
  let to = count === undefined ? undefined : count - 1n;
  const lowest = bounds.endAfter - t0;
  if (lowest > 0n) from = lowest / step; // end = t0 + (j + 1) d > endAfter
  if (bounds.startBefore !== undefined) {
    const limit = ceilDiv(bounds.startBefore - t0, step) - 1n; // t0 + j d < startBefore
    to = to === undefined || limit < to ? limit : to;
  }
  if (bounds.endAtMost !== undefined) {
    const limit = floorDiv(bounds.endAtMost - t0, step) - 1n; // t0 + (j + 1) d <= endAtMost
    to = to === undefined || limit < to ? limit : to;
  }
  if (to === undefined) throw new RangeError('an unbounded run of segments');
  if (to < from) return undefined;
  return { t0, d, n0, p0, from, to };
}

export const runLength = (run: SegmentRun): bigint => run.to - run.from + 1n;

const runEnd = (run: SegmentRun, j: bigint): bigint => run.t0 + (j + 1n) * BigInt(run.d);

/**
 * Drops segments that end before `lowEnd` (the start of a live window),
 * keeping the newest one with `keepNewest`, then keeps at most `max`
 * segments: the first ones (`keep: 'first'`, static) or the newest
 * (`'last'`, live). Returns the runs and how many segments `max` cut.
 */
export function trimRuns(
  runs: readonly SegmentRun[],
  options: { lowEnd?: bigint; keepNewest?: boolean; max: number; keep: 'first' | 'last' },
): { runs: SegmentRun[]; cut: bigint } {
  let kept = [...runs];
  const { lowEnd } = options;
  if (lowEnd !== undefined && kept.length > 0) {
    const trimmed: SegmentRun[] = [];
    for (const run of kept) {
      if (runEnd(run, run.to) < lowEnd) continue;
      // the first j with t0 + (j + 1) d >= lowEnd
      const first = ceilDiv(lowEnd - run.t0, BigInt(run.d)) - 1n;
      trimmed.push(first > run.from ? { ...run, from: first } : run);
    }
    const newest = kept[kept.length - 1];
    kept =
      trimmed.length > 0 || newest === undefined || !options.keepNewest
        ? trimmed
        : [{ ...newest, from: newest.to }];
  }
  const max = BigInt(options.max);
  let total = kept.reduce((sum, run) => sum + runLength(run), 0n);
  let cut = 0n;
  while (total > max) {
    const excess = total - max;
    const index = options.keep === 'first' ? kept.length - 1 : 0;
    const run = kept[index];
    if (run === undefined) break;
    const length = runLength(run);
    if (length <= excess) {
      kept.splice(index, 1);
      total -= length;
      cut += length;
    } else {
      kept[index] =
        options.keep === 'first' ? { ...run, to: run.to - excess } : { ...run, from: run.from + excess };
      total -= excess;
      cut += excess;
    }
  }
  return { runs: kept, cut };
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n === b < 0n ? q + 1n : q;
}
