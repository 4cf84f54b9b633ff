import { MpdWarningCode } from '../MpdWarningCode.js';
import { segmentTicks } from './bounds.js';
import {
  type AddressingContext,
  locate,
  mediaSegment,
  type RepresentationSegments,
} from './RepresentationSegments.js';

/** Milliseconds: a single segment's duration needs a timescale, and the Period's is seconds. */
const TIMESCALE = 1000;

/**
 * A Representation with no Segment* information: its BaseURL is the one
 * media segment and lasts the Period (ISO/IEC 23009-1 5.3.9.1).
 */
export function singleSegment(context: AddressingContext, hasBaseUrl = true): RepresentationSegments {
  const { period } = context;
  if (!hasBaseUrl) {
    context.warnings.add(
      MpdWarningCode.NoSegmentInfo,
      `${context.representation.element.path}: no SegmentBase, SegmentList, SegmentTemplate nor BaseURL: no segments`,
    );
    return { timescale: TIMESCALE, presentationTimeOffset: 0n, init: null, segments: [] };
  }
  if (period.duration === null) {
    context.warnings.add(
      MpdWarningCode.NoDuration,
      `${context.representation.element.path}: one segment (the BaseURL) in a Period of unknown duration`,
    );
  }
  const duration = segmentTicks(period.duration ?? 0, TIMESCALE, context.representation.element.path);
  return {
    timescale: TIMESCALE,
    presentationTimeOffset: 0n,
    init: null,
    segments: [
      mediaSegment(locate('', context), undefined, 0n, duration, {
        pto: 0n,
        timescale: TIMESCALE,
        periodStart: period.start,
      }),
    ],
  };
}
