import { TS_CLOCK } from '../clock.js';
import type { EsSegmentOverlap } from '../EsMuxResult.js';
import type { AccessUnit } from '../types.js';

export interface SegmentTimelineOptions {
  /**
   * The window, in PTS (90 kHz): output starts at the last keyframe at or
   * before `start` and stops after the last access unit (decoding order)
   * whose PTS < `end`.
   */
  keep?: { start: number; end: number };
  /**
   * Makes an access unit safe to hold past the current `push` (its bytes may
   * be views of memory the caller reuses). Default: kept as it is.
   */
  retain?: (au: AccessUnit) => AccessUnit;
}

/** What the timeline makes of an access unit, in decoding order. */
export type TimelineStep<T> =
  /** Write it (its DTS may have been moved up to stay increasing). */
  | { write: true; au: AccessUnit; tag: T }
  /**
   * Left out: by the overlap rule, before `keep.start`, or because it would
   * be decoded before what was already written. Its parameter sets must go
   * ahead of the next access unit written.
   */
  | { write: false; au: AccessUnit };

/** The segment being taken. */
interface SegmentState<T> {
  name: string;
  tag: T;
  /** It put at least one unit on the timeline (past the overlap rule). */
  accepted: boolean;
  /** End (last PTS + duration) of the units it offered. */
  end: number;
  overlap: EsSegmentOverlap | undefined;
}

/**
 * The timeline stage of `muxSegments`, between the parser and the TS writer:
 * the access units of segments placed on one timeline in, in decoding order,
 * the ones to write out, in decoding order. No I/O, no clock: the same units
 * give the same steps.
 *
 * - Overlap: a segment that starts (`startPts`) before the end of what the
 *   timeline holds (last PTS + duration of the units accepted so far) has its
 *   units dropped up to its first keyframe presented at or after that end
 *   and decoded after everything accepted, so decoding restarts cleanly and
 *   nothing is shifted.
 * - `keep.start`: the GOP that may contain the start is held until a later
 *   keyframe shows it does (a keyframe at or before the start replaces it);
 *   units before the first keyframe are dropped, and so is a GOP whose
 *   pictures all end at or before the start when a keyframe after the start
 *   follows (a hole opens before the start).
 * - `keep.end`: units presented at or after it (those of the GOP held for
 *   `keep.start` too) are held while a later unit presented before it may
 *   need them, and dropped at the first keyframe at or after it, which ends
 *   the timeline (`done`); so does a segment that starts at or after it.
 * - Decoding order across segments: a unit decoded at or before the last
 *   written DTS is dropped when it is also presented by then, else its DTS is
 *   moved one tick past it (counted in `dtsAdjusted`).
 *
 * `T` tags each unit with its segment (the caller's per-segment summary).
 */
export class SegmentTimeline<T> {
  readonly #keepStart: number | undefined;
  readonly #keepEnd: number | undefined;
  readonly #retain: (au: AccessUnit) => AccessUnit;
  readonly overlaps: EsSegmentOverlap[] = [];
  #done = false;
  /** End (last PTS + duration) of the units accepted so far (before the keep rules). */
  #end = Number.NEGATIVE_INFINITY;
  /** Largest DTS accepted so far. */
  #acceptedDts = Number.NEGATIVE_INFINITY;
  /** Largest DTS written. */
  #lastDts = Number.NEGATIVE_INFINITY;
  #dtsAdjusted = 0;
  /** The name of the last segment that put a unit on the timeline. */
  #previous: string | undefined;
  #segment: SegmentState<T> | undefined;
  /** Overlap: drop until a keyframe presented at or after this PTS. */
  #dropUntilPts: number | undefined;
  /** keep.start: the GOP that may contain the start. */
  #gop: { au: AccessUnit; tag: T }[] = [];
  #startReached: boolean;
  /** keep.end: units presented at/after the end that later units may still need. */
  #tail: { au: AccessUnit; tag: T }[] = [];

  constructor(options: SegmentTimelineOptions = {}) {
    this.#keepStart = options.keep?.start;
    this.#keepEnd = options.keep?.end;
    this.#retain = options.retain ?? ((au) => au);
    this.#startReached = this.#keepStart === undefined;
  }

  /** keep.end was reached: nothing more is taken. */
  get done(): boolean {
    return this.#done;
  }

  /** End (PTS) of what the segments so far put on the timeline, -Infinity before any. */
  get coveredUntil(): number {
    return this.#end;
  }

  /** End (last PTS + duration) of the units the current segment offered, -Infinity before any. */
  get segmentEnd(): number {
    return this.#segment?.end ?? Number.NEGATIVE_INFINITY;
  }

  /** Units whose DTS was moved up to stay increasing. */
  get dtsAdjusted(): number {
    return this.#dtsAdjusted;
  }

  /**
   * The next segment, whose first presented picture is at `startPts`. False
   * when it starts at or after `keep.end`: the timeline is done.
   */
  beginSegment(name: string, startPts: number, tag: T): boolean {
    this.#endSegment();
    if (this.#done) return false;
    if (this.#keepEnd !== undefined && startPts >= this.#keepEnd) {
      this.#done = true;
      return false;
    }
    let overlap: EsSegmentOverlap | undefined;
    this.#dropUntilPts = undefined;
    if (startPts < this.#end && this.#previous !== undefined) {
      overlap = {
        previous: this.#previous,
        next: name,
        seconds: (this.#end - startPts) / TS_CLOCK,
        droppedFrames: 0,
      };
      this.overlaps.push(overlap);
      this.#dropUntilPts = this.#end;
    }
    this.#segment = { name, tag, accepted: false, end: Number.NEGATIVE_INFINITY, overlap };
    return true;
  }

  /** The overlap the current segment starts with, if any (its `droppedFrames` final once the segment ended). */
  get overlap(): EsSegmentOverlap | undefined {
    return this.#segment?.overlap;
  }

  /** Access units of the current segment, in decoding order: the steps they make now. */
  push(aus: readonly AccessUnit[], steps: TimelineStep<T>[] = []): TimelineStep<T>[] {
    const segment = this.#segment;
    if (segment === undefined) throw new Error('SegmentTimeline.push before beginSegment');
    for (const au of aus) {
      if (au.pts + au.duration > segment.end) segment.end = au.pts + au.duration;
      if (this.#done) break;
      this.#take(au, segment, steps);
    }
    return steps;
  }

  /** The input ended: a GOP still held for keep.start is the one that contains it. */
  finish(steps: TimelineStep<T>[] = []): TimelineStep<T>[] {
    this.#endSegment();
    if (!this.#startReached) {
      this.#startReached = true;
      // Nothing comes after the start: the GOP held is the last content there is, kept.
      this.#releaseGop(steps, false);
    }
    this.#tail = [];
    return steps;
  }

  #endSegment(): void {
    if (this.#segment?.accepted) this.#previous = this.#segment.name;
  }

  #take(au: AccessUnit, segment: SegmentState<T>, steps: TimelineStep<T>[]): void {
    if (this.#dropUntilPts !== undefined) {
      if (au.keyframe && au.pts >= this.#dropUntilPts && au.dts > this.#acceptedDts)
        this.#dropUntilPts = undefined;
      else {
        segment.overlap!.droppedFrames++;
        steps.push({ write: false, au });
        return;
      }
    }
    segment.accepted = true;
    if (au.pts + au.duration > this.#end) this.#end = au.pts + au.duration;
    if (au.dts > this.#acceptedDts) this.#acceptedDts = au.dts;
    const { tag } = segment;
    if (!this.#startReached) {
      const keepStart = this.#keepStart!;
      if (au.keyframe && au.pts <= keepStart) {
        for (const dropped of this.#gop) steps.push({ write: false, au: dropped.au });
        this.#gop = [{ au: this.#retain(au), tag }];
        return;
      }
      if (!au.keyframe) {
        if (this.#gop.length > 0) this.#gop.push({ au: this.#retain(au), tag });
        else steps.push({ write: false, au });
        return;
      }
      // A keyframe after the start: the GOP held contains it, unless it ended before the start.
      this.#startReached = true;
      this.#releaseGop(steps, true);
    }
    this.#untilEnd(au, tag, steps, false);
  }

  /**
   * The start is reached: the GOP held for it goes out (keep.end applies to
   * its units too), unless `beforeHole` (a keyframe after the start came)
   * and its pictures all end at or before `keep.start` (a segment before a
   * hole that opens before the start, hours earlier after a camera outage):
   * then it is no part of the window and is dropped, and the output starts
   * at that keyframe, after the hole, not hours before the start.
   */
  #releaseGop(steps: TimelineStep<T>[], beforeHole: boolean): void {
    const gop = this.#gop;
    this.#gop = [];
    let end = Number.NEGATIVE_INFINITY;
    for (const { au } of gop) end = Math.max(end, au.pts + au.duration);
    if (beforeHole && end <= this.#keepStart!) {
      for (const { au } of gop) steps.push({ write: false, au });
      return;
    }
    for (const { au, tag } of gop) this.#untilEnd(au, tag, steps, true);
  }

  /**
   * keep.end: `au` waits (presented at or after it), ends the timeline (a
   * keyframe), or goes out with what waited. `retained`: it was held already.
   */
  #untilEnd(au: AccessUnit, tag: T, steps: TimelineStep<T>[], retained: boolean): void {
    if (this.#keepEnd !== undefined && au.pts >= this.#keepEnd) {
      if (au.keyframe) {
        this.#done = true;
        this.#tail = [];
        return;
      }
      this.#tail.push({ au: retained ? au : this.#retain(au), tag });
      return;
    }
    if (this.#tail.length > 0) {
      const tail = this.#tail;
      this.#tail = [];
      for (const held of tail) this.#emit(held.au, held.tag, steps);
    }
    this.#emit(au, tag, steps);
  }

  /** Decoding order across segments: writes `au` with an increasing DTS, or drops it when it comes too late. */
  #emit(au: AccessUnit, tag: T, steps: TimelineStep<T>[]): void {
    if (au.dts <= this.#lastDts) {
      if (au.pts <= this.#lastDts) {
        const overlap = this.#segment?.overlap;
        if (overlap) overlap.droppedFrames++;
        steps.push({ write: false, au });
        return;
      }
      au.dts = this.#lastDts + 1;
      this.#dtsAdjusted++;
    }
    this.#lastDts = au.dts;
    steps.push({ write: true, au, tag });
  }
}
