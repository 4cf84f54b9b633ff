import { MpdError } from '../MpdError.js';
import { MpdWarningCode } from '../MpdWarningCode.js';
import type { TemplateSegmentInfo } from '../model/SegmentInfo.js';
import { longestSegment, segmentTicks, wantedSegments } from './bounds.js';
import { compileTemplate, fillTemplate, type TemplateValues } from './expandTemplate.js';
import { materializeRuns } from './materialize.js';
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
  const segments = materializeRuns(runs, wanted, context).map((slot): MediaSegment => {
    let duration = slot.duration;
    if (clipToPeriod && periodEnd !== undefined && slot.time + BigInt(duration) > periodEnd) {
      duration = Number(periodEnd - slot.time);
    }
    const time = durationBased ? slot.time - pto : slot.time;
    const location = locateMedia({ number: slot.number, time });
    const segment = mediaSegment(location, slot.number, slot.time, duration, timeline);
    if (locateIndex) segment.index = locateIndex({ number: slot.number, time });
    return segment;
  });
  return { timescale, presentationTimeOffset: pto, init, segments };
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
