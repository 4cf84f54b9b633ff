import type { RecWarning } from '@rec/core';
import type { MpdWarningCode } from '../MpdWarningCode.js';
import type { XmlElement } from '../xml/XmlElement.js';
import type { ContentProtection } from './ContentProtection.js';
import type { SegmentInfo } from './SegmentInfo.js';
import type { UtcTiming } from './UtcTiming.js';

/**
 * A parsed MPD (ISO/IEC 23009-1 5.3.1): its attributes converted, Periods
 * placed on the presentation timeline, and every Representation's inherited
 * values (the Period -> AdaptationSet -> Representation frame) resolved.
 * Times are seconds, instants milliseconds since the Unix epoch.
 */
export interface Mpd {
  /** The URL the manifest was read from (after redirects): the base of relative BaseURLs. */
  manifestUrl: string;
  type: 'static' | 'dynamic';
  id: string | null;
  profiles: string[];
  mediaPresentationDuration: number | null;
  minBufferTime: number | null;
  minimumUpdatePeriod: number | null;
  timeShiftBufferDepth: number | null;
  suggestedPresentationDelay: number | null;
  maxSegmentDuration: number | null;
  availabilityStartTime: number | null;
  availabilityEndTime: number | null;
  publishTime: number | null;
  /** `Location` elements, absolute: where to fetch the manifest on refresh. */
  locations: string[];
  utcTimings: UtcTiming[];
  periods: Period[];
  /** The `<MPD>` element as written, for what this model leaves out. */
  element: XmlElement;
  warnings: RecWarning<MpdWarningCode>[];
}

export interface Period {
  id: string | null;
  index: number;
  /** PeriodStart (5.3.2.1), seconds from the presentation start; `null` for an early available Period. */
  start: number | null;
  /** Seconds to the next Period's start or the presentation end; `null` when unknown (live). */
  duration: number | null;
  /** Absolute BaseURL candidates in effect at this level, the first preferred. */
  baseUrls: string[];
  adaptationSets: AdaptationSet[];
  /** `EventStream` elements as written. */
  eventStreams: XmlElement[];
  element: XmlElement;
}

/** Media content types (23009-1 5.3.3.2 `@contentType`), or the MIME type's top level. */
export type ContentType = 'video' | 'audio' | 'text' | 'image' | 'application' | (string & {});

export interface AdaptationSet {
  id: string | null;
  index: number;
  /** `@contentType`, else guessed from `@mimeType` / `@codecs`. */
  contentType: ContentType | null;
  mimeType: string | null;
  lang: string | null;
  codecs: string | null;
  /** `Role` descriptors. */
  roles: Descriptor[];
  contentProtection: ContentProtection[];
  representations: Representation[];
  element: XmlElement;
}

export interface Representation {
  /** `@id`; made up (`p0-a1-r2`) with an `MPD_MISSING_ID` warning when absent. */
  id: string;
  index: number;
  bandwidth: number;
  codecs: string | null;
  mimeType: string | null;
  contentType: ContentType | null;
  lang: string | null;
  width: number | null;
  height: number | null;
  frameRate: number | null;
  audioSamplingRate: string | null;
  /** Absolute BaseURL candidates (resolved through MPD, Period, AdaptationSet, Representation), the first preferred. */
  baseUrls: string[];
  /** The AdaptationSet's ContentProtection and the Representation's own. */
  contentProtection: ContentProtection[];
  /** How its segments are addressed, with every Segment* attribute inherited. */
  segmentInfo: SegmentInfo;
  element: XmlElement;
}

/** A DescriptorType element (`Role`, `EssentialProperty`, `SupplementalProperty`, ...). */
export interface Descriptor {
  schemeIdUri: string;
  value: string | null;
  id: string | null;
}
