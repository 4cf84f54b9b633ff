import type { TimeRange } from '@rec/core';
import { type EsMuxResult, TS_CLOCK } from '@rec/es-ts';
import type { AudioGap, AudioOverlap } from '@rec/mux';
import type { Gap, Overlap, Segment, SegmentKind } from '@rec/s3-segments';

/** What one segment's content covers on the recording's timeline, in seconds. */
export interface ContentSpan extends TimeRange {
  key: string;
}

/** Gaps and overlaps of one kind, from what its segments hold (not from their names' spacing). */
export interface KindTimeline {
  kind: SegmentKind;
  /** Holes longer than the names' precision (see `nameTolerance`). */
  gaps: Gap[];
  overlaps: Overlap[];
  /** Seconds of the range no segment covers, every hole counted (also those too short to list). */
  holeSeconds: number;
}

/**
 * How far a segment's content may start from its name before the
 * difference is taken for a hole: 1 s when every name is a whole second (a
 * camera rounds its start down, so 2-s segments named 1 s apart are
 * continuous), else 50 ms (millisecond names: about a frame). Shorter holes
 * still count in `holeSeconds` (and audio holes are filled with silence).
 */
export function nameTolerance(segments: readonly Pick<Segment, 'epoch'>[]): number {
  return segments.every((segment) => Number.isInteger(segment.epoch)) ? 1 : 0.05;
}

/**
 * Where each video segment's pictures are on the timeline: from its first
 * presented picture (`firstPts`, after the `keep` cut) for as many frame
 * durations as it wrote pictures. A segment that wrote none covers nothing.
 */
export function videoSpans(result: EsMuxResult): ContentSpan[] {
  const seconds = (pts: number) => result.origin + (pts - result.basePts) / TS_CLOCK;
  const spans: ContentSpan[] = [];
  for (const segment of result.segments) {
    if (segment.frames === 0 || segment.firstPts === undefined) continue;
    const start = seconds(segment.firstPts);
    spans.push({ key: segment.name, start, end: start + (segment.frames * result.frameDuration) / TS_CLOCK });
  }
  return spans;
}

/**
 * The holes of one kind over `range`: the time no span covers. Each gap
 * names the segment before it (`after`, the last one ending at or before
 * its start, null if none) and after it (`before`, null at the end).
 */
export function spanGaps(
  kind: SegmentKind,
  spans: readonly ContentSpan[],
  range: TimeRange,
  tolerance: number,
): Pick<KindTimeline, 'gaps' | 'holeSeconds'> {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const gaps: Gap[] = [];
  let holeSeconds = 0;
  const hole = (start: number, end: number, after: string | null, before: string | null) => {
    holeSeconds += end - start;
    if (end - start > tolerance) gaps.push({ kind, after, before, start, end, seconds: end - start });
  };
  let cursor = range.start;
  let after: string | null = null;
  for (const span of sorted) {
    if (cursor >= range.end) break;
    if (span.end <= cursor) {
      // Wholly before the range: the last of those is what the first hole comes after.
      if (cursor === range.start) after = span.key;
      continue;
    }
    const start = Math.min(Math.max(span.start, range.start), range.end);
    if (start > cursor) hole(cursor, start, after, span.key);
    cursor = Math.min(Math.max(cursor, span.end), range.end);
    after = span.key;
  }
  if (cursor < range.end) hole(cursor, range.end, after, null);
  return { gaps, holeSeconds };
}

/** The video's timeline from what es-ts wrote: gaps from the pictures, overlaps as es-ts resolved them. */
export function videoTimeline(
  result: EsMuxResult,
  segments: readonly Segment[],
  range: TimeRange,
): KindTimeline {
  const tolerance = nameTolerance(segments);
  const epochOf = new Map(segments.map((segment) => [segment.key, segment.epoch]));
  const overlaps: Overlap[] = result.overlaps
    .filter((overlap) => overlap.seconds > tolerance)
    .map((overlap) => {
      const start = epochOf.get(overlap.next) ?? Number.NaN;
      return {
        kind: 'video',
        after: overlap.previous,
        before: overlap.next,
        start,
        end: start + overlap.seconds,
        seconds: overlap.seconds,
      };
    });
  return { kind: 'video', ...spanGaps('video', videoSpans(result), range, tolerance), overlaps };
}

/**
 * The audio's timeline from the join (which placed every sample): its
 * silences are the gaps, with the segments around each named by key.
 */
export function audioTimeline(
  join: { gaps: readonly AudioGap[]; overlaps: readonly AudioOverlap[]; silenceSeconds: number },
  segments: readonly Segment[],
  keyOfFile: ReadonlyMap<string, string>,
): KindTimeline {
  const tolerance = nameTolerance(segments);
  const sorted = [...segments].sort((a, b) => a.epoch - b.epoch);
  const gaps: Gap[] = join.gaps
    .filter((gap) => gap.seconds > tolerance)
    .map((gap) => {
      const end = gap.at + gap.seconds;
      const after = sorted.findLast((segment) => segment.epoch < gap.at);
      const before = sorted.find((segment) => segment.epoch >= end - 1e-6);
      return {
        kind: 'audio',
        after: after?.key ?? null,
        before: before?.key ?? null,
        start: gap.at,
        end,
        seconds: gap.seconds,
      };
    });
  const overlaps: Overlap[] = join.overlaps
    .filter((overlap) => overlap.seconds > tolerance)
    .map((overlap) => ({
      kind: 'audio',
      after: keyOfFile.get(overlap.trimmed) ?? overlap.trimmed,
      before: keyOfFile.get(overlap.kept) ?? overlap.kept,
      start: overlap.at,
      end: overlap.at + overlap.seconds,
      seconds: overlap.seconds,
    }));
  return { kind: 'audio', gaps, overlaps, holeSeconds: join.silenceSeconds };
}
