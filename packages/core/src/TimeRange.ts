/** A half-open interval [start, end) in seconds on one timeline (Unix seconds for a recording window). */
export interface TimeRange {
  start: number;
  end: number;
}

/** Seconds in `range` (0 when empty or reversed). */
export function rangeDuration(range: TimeRange): number {
  return Math.max(0, range.end - range.start);
}

/** The overlap of two ranges, or undefined when they do not meet. */
export function intersectRanges(a: TimeRange, b: TimeRange): TimeRange | undefined {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return end > start ? { start, end } : undefined;
}
