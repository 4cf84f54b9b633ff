import type { WarningLog } from '@rec/core';
import { MpdError } from '../MpdError.js';
import type { MpdWarningCode } from '../MpdWarningCode.js';
import type { Period, Representation } from '../model/Mpd.js';
import type { ByteRange } from '../values/ByteRange.js';
import type { LiveEdge } from './bounds.js';

/** A resource to fetch: absolute URL, optional byte range, other BaseURLs' URLs to try when it fails. */
export interface SegmentLocation {
  url: string;
  range?: ByteRange;
  /** The same resource under the other BaseURL candidates, in order (absent when there is one). */
  fallbackUrls?: string[];
}

/** One media segment, on the media timeline and on the presentation timeline. */
export interface MediaSegment extends SegmentLocation {
  /** `$Number$`; absent for SegmentBase subsegments and single-segment Representations. */
  number?: number;
  /**
   * `$SubNumber$`, from 0: the Segment's place in its Segment Sequence
   * (`S@k`, SegmentTemplate`@k`), whose `number` and `$Time$` it shares;
   * absent outside Segment Sequences.
   */
  subNumber?: number;
  /** Earliest presentation time in the timescale, `@presentationTimeOffset` included (`S@t`); exact. */
  time: bigint;
  /** In the timescale. */
  duration: number;
  /** Presentation time in seconds: Period start + (time - presentationTimeOffset) / timescale. */
  start: number;
  end: number;
  /**
   * Its Index Segment (23009-1 6.3.4.2, a sidx for this segment): `SegmentURL@index`/`@indexRange`
   * or a SegmentTemplate `@index`; absent when the MPD names none.
   */
  index?: SegmentLocation;
}

/** The segments of one Representation in one Period. */
export interface RepresentationSegments {
  timescale: number;
  presentationTimeOffset: bigint;
  init: SegmentLocation | null;
  segments: MediaSegment[];
  /**
   * SegmentBase: where the segment index (sidx)
   * is. `segments` is empty until it is read (`segmentsFromSidx`, or
   * `resolveMpd` with a `loadRange`).
   */
  index?: SegmentLocation;
}

/** What every addressing mode needs to list one Representation's segments. */
export interface AddressingContext {
  representation: Representation;
  /** A Period with a known start. */
  period: Period & { start: number };
  /** For dynamic MPDs: where the live edge is. */
  live?: LiveEdge;
  maxSegments: number;
  warnings: WarningLog<MpdWarningCode>;
}

/** `reference` resolved against every BaseURL candidate of the Representation. */
export function locate(reference: string, context: AddressingContext, range?: ByteRange): SegmentLocation {
  const [first, ...others] = context.representation.baseUrls;
  const url = resolveReference(reference, first ?? context.representation.baseUrls[0] ?? '', context);
  const location: SegmentLocation = { url };
  if (range) location.range = range;
  if (others.length > 0)
    location.fallbackUrls = others.map((base) => resolveReference(reference, base, context));
  return location;
}

function resolveReference(reference: string, base: string, context: AddressingContext): string {
  const url = URL.parse(reference, base);
  if (url === null) {
    throw new MpdError(
      'MPD_INVALID',
      `${JSON.stringify(reference)} does not resolve to a URL against ${base}`,
      {
        path: context.representation.element.path,
      },
    );
  }
  return url.href;
}

/** How media time maps to presentation time for one Representation in one Period. */
export interface MediaTimeline {
  pto: bigint;
  timescale: number;
  periodStart: number;
}

/**
 * A MediaSegment of one shape (no object spread: spreading the location
 * into each of 100 000 segments cost more than the rest of the listing).
 * `start` and `end` both come from exact media times, so consecutive
 * segments meet exactly (no float drift from adding durations).
 */
export function mediaSegment(
  location: SegmentLocation,
  number: number | undefined,
  time: bigint,
  duration: number,
  timeline: MediaTimeline,
): MediaSegment {
  const { pto, timescale, periodStart } = timeline;
  const segment: MediaSegment = {
    url: location.url,
    number,
    time,
    duration,
    start: presentationTime(time, pto, timescale, periodStart),
    end: presentationTime(time + BigInt(duration), pto, timescale, periodStart),
  };
  if (number === undefined) delete segment.number;
  if (location.range) segment.range = location.range;
  if (location.fallbackUrls) segment.fallbackUrls = location.fallbackUrls;
  return segment;
}

/** Seconds on the presentation timeline of a media time. */
export function presentationTime(time: bigint, pto: bigint, timescale: number, periodStart: number): number {
  return periodStart + Number(time - pto) / timescale;
}
