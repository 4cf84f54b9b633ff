import { expectInteger, expectNumber, type RecWarning, WarningLog } from '@rec/core';
import type { AddressingContext, RepresentationSegments } from '../addressing/RepresentationSegments.js';
import { baseSegments } from '../addressing/segmentBase.js';
import { listSegments } from '../addressing/segmentList.js';
import { templateSegments } from '../addressing/segmentTemplate.js';
import { singleSegment } from '../addressing/singleSegment.js';
import { liveEdgeOf } from '../live/liveEdge.js';
import { MpdWarningCode } from '../MpdWarningCode.js';
import type { Mpd, Period, Representation } from '../model/Mpd.js';

export interface ListSegmentsOptions {
  /**
   * Wall-clock now for dynamic MPDs, ms since the epoch: the injected clock
   * (`Date.now() + syncClock(mpd).offset`). Default `Date.now()`.
   */
  now?: number;
  /**
   * Seconds of past segments a dynamic MPD without timeShiftBufferDepth
   * lists (default 0: only the newest available one, the live edge).
   */
  liveWindow?: number;
  /**
   * Most segments listed per Representation (default 100 000, 55 hours of
   * 2-second segments): past it a static list keeps the first ones, a live
   * one the newest, with an `MPD_SEGMENTS_CAPPED` warning.
   */
  maxSegments?: number;
}

export const DEFAULT_MAX_SEGMENTS = 100_000;

export interface SegmentListing extends RepresentationSegments {
  warnings: RecWarning<MpdWarningCode>[];
}

/**
 * The init and media segments of one Representation of one Period, with
 * absolute URLs. Synchronous: a SegmentBase Representation comes back with
 * `index` set and no segments until its sidx is read (`resolveMpd` does
 * it, given a `loadRange`).
 */
export function listRepresentationSegments(
  mpd: Mpd,
  period: Period,
  representation: Representation,
  options: ListSegmentsOptions = {},
): SegmentListing {
  const warnings = new WarningLog<MpdWarningCode>();
  const segments = listWith(mpd, period, representation, options, warnings);
  return { ...segments, warnings: warnings.list() };
}

export function listWith(
  mpd: Mpd,
  period: Period,
  representation: Representation,
  options: ListSegmentsOptions,
  warnings: WarningLog<MpdWarningCode>,
): RepresentationSegments {
  const maxSegments = expectInteger('maxSegments', options.maxSegments ?? DEFAULT_MAX_SEGMENTS, 1);
  const now = expectNumber('now', options.now ?? Date.now());
  if (period.start === null) {
    warnings.add(MpdWarningCode.EarlyAvailablePeriod, `${period.element.path}: start unknown, no segments`);
    return { timescale: 1, presentationTimeOffset: 0n, init: null, segments: [] };
  }
  const placed = period as Period & { start: number };
  const context: AddressingContext = {
    representation,
    period: placed,
    live: liveEdgeOf(mpd, placed, now, options.liveWindow),
    maxSegments,
    warnings,
  };
  const info = representation.segmentInfo;
  switch (info.mode) {
    case 'template':
      return templateSegments(info, context);
    case 'list':
      return listSegments(info, context);
    case 'base':
      return baseSegments(info, context);
    default:
      return singleSegment(context, info.hasBaseUrl);
  }
}
