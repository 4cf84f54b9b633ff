import type { TimeRange } from '@rec/core';
import { type Segment, type SegmentKind, segmentKinds } from '../types/Segment.js';
import { nominalDuration } from './nominalDuration.js';
import { validateWindow } from './validateWindow.js';

export interface SelectWindowOptions {
  /** Seconds added before `start` and after `end` (the legacy script used 60). Default 0. */
  pad?: number;
  /** Nominal segment duration in seconds, for all kinds or per kind; default: the median spacing of the epochs. */
  segmentDuration?: number | Partial<Record<SegmentKind, number>>;
  /**
   * Slack in seconds before a late successor is a gap or an early one an
   * overlap. Default: half the duration, at most 1 s (epochs named in whole
   * seconds are up to 1 s off).
   */
  tolerance?: number;
}

/**
 * Time not covered by any segment of a kind: `[start, end)` in Unix seconds.
 * `after`/`before` are the keys around it (null at the window's edges).
 */
export interface Gap extends TimeRange {
  kind: SegmentKind;
  after: string | null;
  before: string | null;
  seconds: number;
}

/**
 * A segment that starts before its predecessor (`after`) ends: `[start, end)`
 * runs from the successor's start to the predecessor's nominal end.
 */
export interface Overlap extends TimeRange {
  kind: SegmentKind;
  after: string;
  before: string;
  seconds: number;
}

export interface WindowSelection {
  /** The selected segments: video then audio, each in epoch order. */
  segments: Segment[];
  gaps: Gap[];
  overlaps: Overlap[];
  /** The nominal duration used per kind (absent when it could not be known). */
  durations: Partial<Record<SegmentKind, number>>;
  /** The padded window. */
  from: number;
  to: number;
}

/**
 * Selects the segments of a time window, per kind: the segment covering
 * `start - pad` (the last one starting at or before it, if it reaches it)
 * through the last segment starting before `end + pad`. Reports gaps
 * (a successor starting later than `epoch + duration + tolerance`, and
 * uncovered time at the window's edges) and overlaps (a successor starting
 * before `epoch + duration - tolerance`). Pure: no I/O.
 */
export function selectWindow(
  segments: Iterable<Segment>,
  window: TimeRange,
  options: SelectWindowOptions = {},
): WindowSelection {
  const { from, to } = validateWindow(window, options.pad ?? 0);
  const selection: WindowSelection = { segments: [], gaps: [], overlaps: [], durations: {}, from, to };
  const byKind = new Map<SegmentKind, Segment[]>();
  for (const segment of segments) {
    const list = byKind.get(segment.kind) ?? [];
    list.push(segment);
    byKind.set(segment.kind, list);
  }
  for (const kind of segmentKinds) {
    const all = byKind.get(kind);
    if (all === undefined) continue;
    all.sort((a, b) => a.epoch - b.epoch || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const given = options.segmentDuration;
    const duration =
      (typeof given === 'number' ? given : given?.[kind]) ??
      nominalDuration(all.filter((s) => s.epoch < to).map((s) => s.epoch));
    if (duration !== undefined) selection.durations[kind] = duration;
    const tolerance = options.tolerance ?? (duration === undefined ? 0 : Math.min(1, duration / 2));

    // The covering segment: the last start at or before `from` (all segments sharing that start).
    let first = all.findIndex((s) => s.epoch > from);
    if (first < 0) first = all.length;
    const coverEpoch = first > 0 ? all[first - 1]!.epoch : undefined;
    if (coverEpoch !== undefined && (duration === undefined || coverEpoch + duration + tolerance > from)) {
      while (first > 0 && all[first - 1]!.epoch === coverEpoch) first--;
    }
    const chosen = all.slice(first).filter((s) => s.epoch < to);
    // Not a spread: a days-long window's segments would overflow its arguments.
    for (const segment of chosen) selection.segments.push(segment);
    reportGaps(selection, kind, chosen, duration, tolerance);
  }
  return selection;
}

function reportGaps(
  selection: WindowSelection,
  kind: SegmentKind,
  chosen: readonly Segment[],
  duration: number | undefined,
  tolerance: number,
): void {
  const { from, to } = selection;
  const gap = (after: Segment | undefined, before: Segment | undefined, start: number, end: number) =>
    selection.gaps.push({
      kind,
      after: after?.key ?? null,
      before: before?.key ?? null,
      start,
      end,
      seconds: end - start,
    });
  const head = chosen[0];
  if (head === undefined) {
    gap(undefined, undefined, from, to);
    return;
  }
  if (head.epoch > from + tolerance) gap(undefined, head, from, head.epoch);
  if (duration === undefined) return;
  for (let i = 1; i < chosen.length; i++) {
    const previous = chosen[i - 1]!;
    const next = chosen[i]!;
    const previousEnd = previous.epoch + duration;
    if (next.epoch > previousEnd + tolerance) gap(previous, next, previousEnd, next.epoch);
    else if (next.epoch < previousEnd - tolerance) {
      selection.overlaps.push({
        kind,
        after: previous.key,
        before: next.key,
        start: next.epoch,
        end: previousEnd,
        seconds: previousEnd - next.epoch,
      });
    }
  }
  const tail = chosen[chosen.length - 1]!;
  const tailEnd = tail.epoch + duration;
  if (tailEnd < to - tolerance) gap(tail, undefined, tailEnd, to);
}
