import { MpdError } from '../MpdError.js';
import { MpdWarningCode } from '../MpdWarningCode.js';
import type { TemplateSegmentInfo } from '../model/SegmentInfo.js';
import { longestSegment, segmentTicks, wantedSegments } from './bounds.js';
import { compileTemplate, fillTemplate, type TemplateValues } from './expandTemplate.js';
import { materializeRuns, type SegmentSlot } from './materialize.js';
import {
  type AddressingContext,
  locate,
  type MediaSegment,
  mediaSegment,
  type RepresentationSegments,
  type SegmentLocation,
} from './RepresentationSegments.js';
import { clampRun, type SegmentRun } from './SegmentRun.js';
import { timelineRuns } from './segmentTimeline.js';
import { templateLocator } from './templateLocator.js';

/**
 * Segments of a SegmentTemplate (ISO/IEC 23009-1 5.3.9.4):
 * - with a SegmentTimeline, one segment per `S` repeat (5.3.9.6);
 * - with `@duration`, ceil(Period duration / `@duration`) segments, the
 *   last one cut at the Period end, numbered from `@startNumber` up to
 *   `@endNumber`; live, those available now (5.3.9.5.3);
 * - with neither, one segment that lasts the Period.
 *
 * `$Time$` takes the segment's media time (`S@t`, exact as a bigint); with
 * `@duration` it is (Number - startNumber) x `@duration`, without the
 * presentationTimeOffset, as shaka-player and dash.js fill it.
 */
export function templateSegments(
  info: TemplateSegmentInfo,
  context: AddressingContext,
): RepresentationSegments {
  const { representation, period, warnings } = context;
  const path = info.elements[0]?.path ?? representation.element.path;
  const base: Omit<TemplateValues, 'number' | 'time'> = {
    representationId: representation.id,
    bandwidth: representation.bandwidth,
  };
  const missing = (where: string) => (identifier: string) =>
    warnings.add(
      MpdWarningCode.TemplateIdentifier,
      `${path}: $${identifier}$ has no value in ${where}; kept as written`,
    );

  const init = templateInit(info, context, base, missing('@initialization'));
  if (!info.media) {
    if (info.indexTemplate) {
      throw new MpdError('MPD_UNSUPPORTED', 'a SegmentTemplate with @index and no @media', { path });
    }
    throw new MpdError('MPD_INVALID', 'SegmentTemplate has no @media', { path });
  }
  const media = compileTemplate(info.media);
  for (const text of media.unknown) {
    warnings.add(MpdWarningCode.TemplateIdentifier, `${path}: unknown identifier in ${JSON.stringify(text)}`);
  }

  const { timescale, presentationTimeOffset: pto } = info;
  const wanted = wantedSegments(
    timescale,
    pto,
    period.duration,
    context.live,
    info.availabilityTimeOffset,
    longestSegment(info.duration, info.timeline, timescale),
  );

  let runs: SegmentRun[];
  let clipToPeriod = false;
  let durationBased = false;
  if (info.timeline) {
    if (info.duration !== undefined) {
      warnings.add(
        MpdWarningCode.AddressingConflict,
        `${path}: both @duration and SegmentTimeline; using the timeline`,
      );
    }
    runs = timelineRuns(info.timeline, {
      startNumber: info.startNumber,
      bounds: wanted.bounds,
      repeatUntil: wanted.repeatUntil,
      lowEnd: wanted.lowEnd,
      limit: context.maxSegments,
      path,
      warnings,
    });
    if (info.endNumber !== undefined) runs = capNumber(runs, info.endNumber);
  } else if (info.duration !== undefined) {
    let count: bigint | undefined;
    if (info.endNumber !== undefined) count = BigInt(Math.max(0, info.endNumber - info.startNumber + 1));
    if (period.duration === null && !context.live && count === undefined) {
      warnings.add(
        MpdWarningCode.NoDuration,
        `${path}: @duration segments in a Period of unknown duration (static MPD): no segments`,
      );
      count = 0n;
    }
    const run =
      count !== 0n ? clampRun(pto, info.duration, info.startNumber, count, wanted.bounds) : undefined;
    runs = run ? [run] : [];
    clipToPeriod = true;
    durationBased = true;
  } else {
    // No @duration, no timeline: the Representation is one segment (5.3.9.2.1).
    if (period.duration === null) {
      warnings.add(MpdWarningCode.NoDuration, `${path}: one segment in a Period of unknown duration`);
    }
    const ticks = segmentTicks(period.duration ?? 0, timescale, path);
    runs = ticks > 0 ? [{ t0: pto, d: ticks, n0: info.startNumber, p0: 0, from: 0n, to: 0n }] : [];
  }

  const periodEnd = wanted.bounds.startBefore;
  const timeline = { pto, timescale, periodStart: period.start };
  const locateMedia = templateLocator(media, base, context, missing('@media'));
  const locateIndex =
    info.indexTemplate === undefined
      ? undefined
      : templateLocator(compileTemplate(info.indexTemplate), base, context, missing('@index'));
  const usesSubNumber = media.identifiers.has('SubNumber');
  const slots = materializeRuns(runs, wanted, context);
  if (usesSubNumber && slots.some((slot) => (slot.k ?? info.k) === undefined)) {
    warnings.add(
      MpdWarningCode.TemplateIdentifier,
      `${path}: $SubNumber$ in @media, but no @k makes the segments Segment Sequences; kept as written`,
    );
  }
  const place = (
    slot: SegmentSlot,
    subNumber: number | undefined,
    time: bigint,
    end: bigint,
  ): MediaSegment => {
    // $Time$ and $Number$ are the Segment Sequence's, shared by its Segments.
    const values = { number: slot.number, time: durationBased ? slot.time - pto : slot.time, subNumber };
    const segment = mediaSegment(locateMedia(values), slot.number, time, Number(end - time), timeline);
    if (subNumber !== undefined) segment.subNumber = subNumber;
    if (locateIndex) segment.index = locateIndex(values);
    return segment;
  };
  const clip = (end: bigint) =>
    clipToPeriod && periodEnd !== undefined && end > periodEnd ? periodEnd : end;
  let tooFine = false;
  const sequenceOf = (slot: SegmentSlot): number | undefined => {
    const k = slot.k ?? info.k;
    if (k === undefined || !usesSubNumber) return undefined;
    if (k > slot.duration) {
      if (tooFine) return 1;
      tooFine = true;
      warnings.add(
        MpdWarningCode.BadAttribute,
        `${path}: @k ${k} splits a segment of ${slot.duration} ticks into parts under one tick; taken as one Segment`,
      );
      return 1;
    }
    return k;
  };
  const sequenced = usesSubNumber && slots.some((slot) => (slot.k ?? info.k) !== undefined);
  const segments = sequenced
    ? sequenceSegments(slots, sequenceOf, place, clip, wanted.keep, context, path)
    : slots.map((slot) => place(slot, undefined, slot.time, clip(slot.time + BigInt(slot.duration))));
  const numbered = ['Number', 'Time', 'SubNumber'] as const;
  if (segments.length > 1 && !numbered.some((identifier) => media.identifiers.has(identifier))) {
    warnings.add(
      MpdWarningCode.TemplateIdentifier,
      `${path}: @media ${JSON.stringify(info.media)} has neither $Number$ nor $Time$: its ${segments.length} segments share one URL`,
    );
  }
  return { timescale, presentationTimeOffset: pto, init, segments };
}

/**
 * The Segments of Segment Sequences (23009-1 5th edition, `S@k`,
 * SegmentTemplate`@k`): a slot of `@d` with `k` is `k` Segments, each
 * `@d / k` long (split on whole ticks, so they add up to `@d`), whose URLs
 * share the sequence's `$Number$` and `$Time$` and take `$SubNumber$` from
 * 0, as dash.js, GPAC and DASH-IF's livesim2 number them. At most
 * `maxSegments` in all, the first or the newest as `keep` says, counted
 * before any is listed: `k` can make one slot millions of Segments.
 */
function sequenceSegments(
  slots: readonly SegmentSlot[],
  sequenceOf: (slot: SegmentSlot) => number | undefined,
  place: (slot: SegmentSlot, subNumber: number | undefined, time: bigint, end: bigint) => MediaSegment,
  clip: (end: bigint) => bigint,
  keep: 'first' | 'last',
  context: AddressingContext,
  path: string,
): MediaSegment[] {
  const ks = slots.map(sequenceOf);
  /** Segments of slot `s` before the Period end cuts it: part i starts at time + floor(i d / k) < end. */
  const counts = slots.map((slot, s) => {
    const k = ks[s];
    if (k === undefined) return 1;
    const end = slot.time + BigInt(slot.duration);
    const limit = clip(end);
    if (limit >= end) return k;
    const room = limit - slot.time;
    if (room <= 0n) return 0;
    const fit = (room * BigInt(k) + BigInt(slot.duration) - 1n) / BigInt(slot.duration);
    return Math.min(k, Number(fit));
  });
  const total = counts.reduce((sum, count) => sum + count, 0);
  const budget = context.maxSegments;
  let skip = keep === 'last' ? Math.max(0, total - budget) : 0;
  const out: MediaSegment[] = [];
  for (let s = 0; s < slots.length && out.length < budget; s++) {
    const slot = slots[s] as SegmentSlot;
    const k = ks[s];
    const count = counts[s] as number;
    if (skip >= count) {
      skip -= count;
      continue;
    }
    if (k === undefined) {
      out.push(place(slot, undefined, slot.time, clip(slot.time + BigInt(slot.duration))));
      continue;
    }
    const d = BigInt(slot.duration);
    const parts = BigInt(k);
    for (let i = skip; i < count && out.length < budget; i++) {
      const time = slot.time + (BigInt(i) * d) / parts;
      out.push(place(slot, i, time, clip(slot.time + (BigInt(i + 1) * d) / parts)));
    }
    skip = 0;
  }
  if (total > budget) {
    context.warnings.add(
      MpdWarningCode.SegmentsCapped,
      `${path}: ${total - budget} segments of Segment Sequences past maxSegments ${budget} left out (the ${keep === 'first' ? 'last' : 'oldest'} ones)`,
    );
  }
  return out;
}

/** `@initialization` (a template of `$RepresentationID$` and `$Bandwidth$`), else an `Initialization` child. */
function templateInit(
  info: TemplateSegmentInfo,
  context: AddressingContext,
  values: TemplateValues,
  onMissing: (identifier: string) => void,
): SegmentLocation | null {
  if (info.initializationTemplate !== undefined) {
    return locate(fillTemplate(compileTemplate(info.initializationTemplate), values, onMissing), context);
  }
  if (info.initialization) {
    return locate(info.initialization.sourceUrl ?? '', context, info.initialization.range);
  }
  return null;
}

/** Drops segments numbered past `@endNumber`. */
function capNumber(runs: SegmentRun[], endNumber: number): SegmentRun[] {
  return runs.flatMap((run) => {
    const last = BigInt(endNumber - run.n0);
    if (last < run.from) return [];
    return [last < run.to ? { ...run, to: last } : run];
  });
}
