import type { WarningLog } from '@rec/core';
import { MpdWarningCode } from '../MpdWarningCode.js';
import {
  Double,
  Integer,
  Long,
  PositiveInt,
  Range,
  UnsignedInt,
  UnsignedLong,
  XsBoolean,
} from '../values/attributeTypes.js';
import type { ByteRange } from '../values/ByteRange.js';
import { childElements, firstChild, type XmlElement } from '../xml/XmlElement.js';
import type { InheritanceFrame } from './InheritanceFrame.js';
import { inheritAttribute, inheritText, readAttribute } from './readAttribute.js';

/** A URL with an optional byte range: `Initialization`, `RepresentationIndex` (23009-1 5.3.9.2.2 URLType). */
export interface UrlRange {
  /** `@sourceURL` as written (relative to the BaseURL); absent means the BaseURL itself. */
  sourceUrl?: string;
  range?: ByteRange;
}

/** One `S` of a SegmentTimeline (23009-1 5.3.9.6), values as written. */
export interface TimelineEntry {
  /** `S@t`, media time in the timescale; absent means right after the previous entry. */
  t?: bigint;
  /** `S@n`, the number of the first segment of the entry (5th edition). */
  n?: number;
  /** `S@d`, in the timescale. */
  d: number;
  /** `S@r`: repeats after the first; -1 repeats until the next `S@t` or the end of the Period. */
  r: number;
  /**
   * `S@k` (5th edition): each `@d` is a Segment Sequence of this many
   * Segments, addressed by `$SubNumber$`; absent: one Segment.
   */
  k?: number;
  /**
   * `S@p` (6th edition): the durations come from this Pattern, cycled from
   * `S@pE`, and `@r` counts segments (not pattern cycles); `@d` is unused.
   */
  pattern?: DurationPattern;
}

/** A SegmentTimeline `Pattern` (6th edition) as one S uses it. */
export interface DurationPattern {
  /** `Pattern@id`. */
  id: number;
  /** Its `P` entries: `count` = `P@r` + 1 segments of `P@d`. */
  pieces: { d: number; count: number }[];
  /** `S@pE`: the segment of the expanded pattern the S starts at (default 0). */
  offset: number;
}

/** What SegmentTemplate, SegmentList and SegmentBase share (MultipleSegmentBaseType, SegmentBaseType). */
interface CommonSegmentInfo {
  timescale: number;
  presentationTimeOffset: bigint;
  /** Seconds a segment is available before its end (23009-1 5.3.9.5.3): BaseURLs' plus the Segment* element's. */
  availabilityTimeOffset: number;
  initialization?: UrlRange;
  representationIndex?: UrlRange;
  /** The Segment* elements the values came from, Representation level first. */
  elements: XmlElement[];
}

export interface TemplateSegmentInfo extends CommonSegmentInfo {
  mode: 'template';
  media?: string;
  /** `@initialization` template (overrides an `Initialization` child). */
  initializationTemplate?: string;
  /** `@index` template: the Index Segment of each Media Segment (with `$Number$`/`$Time$`), else one per Representation. */
  indexTemplate?: string;
  /** `@duration` in the timescale. */
  duration?: number;
  startNumber: number;
  endNumber?: number;
  /** `@k`: each `@duration` is a Segment Sequence of this many Segments (`$SubNumber$`); an `S@k` wins. */
  k?: number;
  timeline?: TimelineEntry[];
}

export interface ListSegmentInfo extends CommonSegmentInfo {
  mode: 'list';
  duration?: number;
  startNumber: number;
  timeline?: TimelineEntry[];
  /** `SegmentURL@media`/`@mediaRange`, and `@index`/`@indexRange` where its Index Segment is (5.3.9.3.2). */
  segmentUrls: { media?: string; mediaRange?: ByteRange; index?: string; indexRange?: ByteRange }[];
}

export interface BaseSegmentInfo extends CommonSegmentInfo {
  mode: 'base';
  indexRange?: ByteRange;
  indexRangeExact: boolean;
}

/** No Segment* element: the BaseURL is the one media segment (23009-1 5.3.9.1). */
export interface SingleSegmentInfo {
  mode: 'single';
  /** No BaseURL at any level either: there is no segment at all. */
  hasBaseUrl: boolean;
}

export type SegmentInfo = TemplateSegmentInfo | ListSegmentInfo | BaseSegmentInfo | SingleSegmentInfo;

type Warnings = WarningLog<MpdWarningCode>;

/** The Segment* information a Representation's frame holds, attributes inherited one by one. */
export function readSegmentInfo(frame: InheritanceFrame, warnings: Warnings): SegmentInfo {
  switch (frame.addressing) {
    case 'template':
      return readTemplateInfo(frame, warnings);
    case 'list':
      return readListInfo(frame, warnings);
    case 'base':
      return readBaseInfo(frame, warnings);
    default:
      return { mode: 'single', hasBaseUrl: frame.baseUrlDeclared };
  }
}

function readCommon(chain: XmlElement[], frame: InheritanceFrame, warnings: Warnings): CommonSegmentInfo {
  const initialization = inheritChild(chain, 'Initialization');
  const representationIndex = inheritChild(chain, 'RepresentationIndex');
  const ownOffset = inheritAttribute(chain, 'availabilityTimeOffset', Double, 'lenient', warnings) ?? 0;
  return {
    timescale: inheritAttribute(chain, 'timescale', PositiveInt, 'strict', warnings) ?? 1,
    presentationTimeOffset: readPresentationTimeOffset(chain, warnings),
    availabilityTimeOffset: frame.baseUrlAvailabilityTimeOffset + ownOffset,
    initialization: initialization && readUrlRange(initialization, warnings),
    representationIndex: representationIndex && readUrlRange(representationIndex, warnings),
    elements: chain,
  };
}

function readPresentationTimeOffset(chain: XmlElement[], warnings: Warnings): bigint {
  const offset = inheritAttribute(chain, 'presentationTimeOffset', Long, 'strict', warnings) ?? 0n;
  if (offset < 0n) {
    warnings.add(
      MpdWarningCode.BadAttribute,
      `${chain[0]?.path}: @presentationTimeOffset ${offset} is negative (the schema says unsigned); used as written`,
    );
  }
  return offset;
}

function readMultiple(chain: XmlElement[], warnings: Warnings) {
  const duration = inheritAttribute(chain, 'duration', UnsignedInt, 'strict', warnings);
  const timelineElement = inheritChild(chain, 'SegmentTimeline');
  return {
    // @duration="0" would mean infinitely many segments: taken as absent.
    duration: duration === 0 ? undefined : duration,
    startNumber: inheritAttribute(chain, 'startNumber', UnsignedInt, 'strict', warnings) ?? 1,
    timeline: timelineElement && readTimeline(timelineElement, warnings),
  };
}

function readTemplateInfo(frame: InheritanceFrame, warnings: Warnings): TemplateSegmentInfo {
  const chain = [...frame.segmentTemplate];
  return {
    mode: 'template',
    ...readCommon(chain, frame, warnings),
    ...readMultiple(chain, warnings),
    media: inheritText(chain, 'media'),
    initializationTemplate: inheritText(chain, 'initialization'),
    indexTemplate: inheritText(chain, 'index'),
    endNumber: inheritAttribute(chain, 'endNumber', UnsignedInt, 'strict', warnings),
    k: inheritAttribute(chain, 'k', PositiveInt, 'lenient', warnings),
  };
}

function readListInfo(frame: InheritanceFrame, warnings: Warnings): ListSegmentInfo {
  const chain = [...frame.segmentList];
  // The nearest SegmentList that lists SegmentURLs provides all of them (as shaka-player reads it).
  const urls = chain.map((list) => childElements(list, 'SegmentURL')).find((list) => list.length > 0) ?? [];
  return {
    mode: 'list',
    ...readCommon(chain, frame, warnings),
    ...readMultiple(chain, warnings),
    segmentUrls: urls.map((url) => ({
      media: url.attributes.media,
      mediaRange: readAttribute(url, 'mediaRange', Range, 'strict', warnings),
      index: url.attributes.index,
      indexRange: readAttribute(url, 'indexRange', Range, 'strict', warnings),
    })),
  };
}

function readBaseInfo(frame: InheritanceFrame, warnings: Warnings): BaseSegmentInfo {
  const chain = [...frame.segmentBase];
  return {
    mode: 'base',
    ...readCommon(chain, frame, warnings),
    indexRange: inheritAttribute(chain, 'indexRange', Range, 'strict', warnings),
    indexRangeExact: inheritAttribute(chain, 'indexRangeExact', XsBoolean, 'lenient', warnings) ?? false,
  };
}

function readUrlRange(element: XmlElement, warnings: Warnings): UrlRange {
  return {
    sourceUrl: element.attributes.sourceURL,
    range: readAttribute(element, 'range', Range, 'strict', warnings),
  };
}

function readTimeline(element: XmlElement, warnings: Warnings): TimelineEntry[] {
  const patterns = readPatterns(element, warnings);
  const entries: TimelineEntry[] = [];
  for (const s of childElements(element, 'S')) {
    const p = readAttribute(s, 'p', UnsignedInt, 'strict', warnings);
    let pattern: DurationPattern | undefined;
    if (p !== undefined) {
      const pieces = patterns.get(p);
      if (!pieces) {
        warnings.add(
          MpdWarningCode.TimelineEntry,
          `${s.path}: @p ${p} names no Pattern of its SegmentTimeline; the S was skipped`,
        );
        continue;
      }
      const length = pieces.reduce((sum, piece) => sum + piece.count, 0);
      const offset = readAttribute(s, 'pE', UnsignedInt, 'strict', warnings) ?? 0;
      if (offset >= length) {
        warnings.add(
          MpdWarningCode.TimelineEntry,
          `${s.path}: @pE ${offset} is past the ${length} segments of Pattern ${p}; the S was skipped`,
        );
        continue;
      }
      pattern = { id: p, pieces, offset };
    }
    const d = readAttribute(s, 'd', UnsignedInt, 'strict', warnings);
    if (!d && !pattern) {
      warnings.add(MpdWarningCode.TimelineEntry, `${s.path}: an S without a positive @d was skipped`);
      continue;
    }
    const entry: TimelineEntry = {
      t: readAttribute(s, 't', UnsignedLong, 'strict', warnings),
      n: readAttribute(s, 'n', UnsignedInt, 'lenient', warnings),
      d: d ?? 0,
      r: readAttribute(s, 'r', Integer, 'strict', warnings) ?? 0,
      k: readAttribute(s, 'k', PositiveInt, 'lenient', warnings),
    };
    if (pattern) entry.pattern = pattern;
    entries.push(entry);
  }
  return entries;
}

/** The `Pattern` children of a SegmentTimeline by `@id`; one without usable `P` entries is left out with a warning. */
function readPatterns(element: XmlElement, warnings: Warnings): Map<number, DurationPattern['pieces']> {
  const patterns = new Map<number, DurationPattern['pieces']>();
  for (const pattern of childElements(element, 'Pattern')) {
    const id = readAttribute(pattern, 'id', UnsignedInt, 'strict', warnings);
    const pieces: DurationPattern['pieces'] = [];
    for (const entry of childElements(pattern, 'P')) {
      const d = readAttribute(entry, 'd', PositiveInt, 'strict', warnings);
      const r = readAttribute(entry, 'r', UnsignedInt, 'strict', warnings) ?? 0;
      if (d !== undefined) pieces.push({ d, count: r + 1 });
    }
    if (id === undefined || pieces.length === 0) {
      warnings.add(
        MpdWarningCode.TimelineEntry,
        `${pattern.path}: a Pattern without @id or a P with @d is unused`,
      );
      continue;
    }
    patterns.set(id, pieces);
  }
  return patterns;
}

function inheritChild(chain: readonly XmlElement[], localName: string): XmlElement | undefined {
  for (const element of chain) {
    const child = firstChild(element, localName);
    if (child) return child;
  }
  return undefined;
}
