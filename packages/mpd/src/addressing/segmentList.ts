import { MpdError } from '../MpdError.js';
import { MpdWarningCode } from '../MpdWarningCode.js';
import type { ListSegmentInfo } from '../model/SegmentInfo.js';
import { longestSegment, segmentTicks, wantedSegments } from './bounds.js';
import { materializeRuns } from './materialize.js';
import {
  type AddressingContext,
  locate,
  type MediaSegment,
  mediaSegment,
  type RepresentationSegments,
} from './RepresentationSegments.js';
import { clampRun, runLength, type SegmentRun } from './SegmentRun.js';
import { timelineRuns } from './segmentTimeline.js';

/** Far before any media time: lists every timeline segment, in bounds or not. */
const EVERYTHING = -(1n << 80n);

/**
 * Segments of a SegmentList (ISO/IEC 23009-1 5.3.9.3): one per `SegmentURL`
 * (`@media`, else the BaseURL; `@mediaRange` its byte range), timed by the
 * list's SegmentTimeline or `@duration`; a list of one URL with neither
 * lasts the Period. Numbered from `@startNumber`.
 */
export function listSegments(info: ListSegmentInfo, context: AddressingContext): RepresentationSegments {
  const { period, warnings } = context;
  const path = info.elements[0]?.path ?? context.representation.element.path;
  const { timescale, presentationTimeOffset: pto } = info;
  const urls = info.segmentUrls;
  const init = info.initialization
    ? locate(info.initialization.sourceUrl ?? '', context, info.initialization.range)
    : null;
  const wanted = wantedSegments(
    timescale,
    pto,
    period.duration,
    context.live,
    info.availabilityTimeOffset,
    longestSegment(info.duration, info.timeline, timescale),
  );

  // The timing of every listed URL (the list is finite), each run then cut to the wanted bounds.
  let listed: SegmentRun[];
  if (info.timeline) {
    const timeline = info.timeline;
    const timing = (maxCount?: number) =>
      timelineRuns(timeline, {
        startNumber: info.startNumber,
        bounds: { endAfter: EVERYTHING },
        repeatUntil: wanted.repeatUntil,
        maxCount,
        path,
        warnings,
      });
    listed = timing(urls.length);
    // Runs cost nothing to count: the whole timeline, to compare with the URLs.
    const timed = timing().reduce((sum, run) => sum + runLength(run), 0n);
    if (timed !== BigInt(urls.length)) {
      warnings.add(
        MpdWarningCode.SegmentListMismatch,
        `${path}: ${urls.length} SegmentURLs, ${timed} timeline segments: only those with both are listed`,
      );
    }
  } else if (info.duration !== undefined) {
    listed = [
      { t0: pto, d: info.duration, n0: info.startNumber, p0: 0, from: 0n, to: BigInt(urls.length - 1) },
    ];
  } else if (urls.length <= 1) {
    if (period.duration === null) {
      warnings.add(MpdWarningCode.NoDuration, `${path}: one SegmentURL in a Period of unknown duration`);
    }
    const ticks = Math.max(1, segmentTicks(period.duration ?? 0, timescale, path));
    listed = [{ t0: pto, d: ticks, n0: info.startNumber, p0: 0, from: 0n, to: BigInt(urls.length - 1) }];
  } else {
    throw new MpdError(
      'MPD_INVALID',
      `${urls.length} SegmentURLs but neither @duration nor a SegmentTimeline to time them`,
      { path },
    );
  }
  const runs = listed.flatMap((run) => {
    if (run.to < run.from) return [];
    const cut = clampRun(run.t0, run.d, run.n0, run.to + 1n, wanted.bounds, run.p0);
    return cut ? [cut.from < run.from ? { ...cut, from: run.from } : cut] : [];
  });

  const segments = materializeRuns(runs, wanted, context).flatMap((slot): MediaSegment[] => {
    const url = urls[slot.position];
    if (url === undefined) return [];
    const location = locate(url.media ?? '', context, url.mediaRange);
    const segment = mediaSegment(location, slot.number, slot.time, slot.duration, {
      pto,
      timescale,
      periodStart: period.start,
    });
    // 5.3.9.3.2: @indexRange without @index is a range of the Media Segment's own resource.
    if (url.index !== undefined || url.indexRange !== undefined) {
      segment.index = locate(url.index ?? url.media ?? '', context, url.indexRange);
    }
    return [segment];
  });
  return { timescale, presentationTimeOffset: pto, init, segments };
}
