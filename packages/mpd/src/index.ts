export {
  type CompiledTemplate,
  compileTemplate,
  expandTemplate,
  fillTemplate,
  type TemplateValues,
} from './addressing/expandTemplate.js';
export type {
  MediaSegment,
  RepresentationSegments,
  SegmentLocation,
} from './addressing/RepresentationSegments.js';
export type { ReadSidx, SegmentIndexBox, SegmentIndexReference } from './addressing/SegmentIndex.js';
export { type ClockOptions, type ClockSync, syncClock } from './live/syncClock.js';
export { MpdError, MpdErrorCode } from './MpdError.js';
export { MpdWarningCode } from './MpdWarningCode.js';
export type { ContentProtection, PsshBox } from './model/ContentProtection.js';
export { orderBaseUrls } from './model/InheritanceFrame.js';
export type {
  AdaptationSet,
  ContentType,
  Descriptor,
  Mpd,
  Period,
  Representation,
} from './model/Mpd.js';
export { type ParseMpdOptions, parseMpd } from './model/parseMpd.js';
export { type ResolveXlinksOptions, resolveXlinks } from './model/resolveXlinks.js';
export type {
  BaseSegmentInfo,
  DurationPattern,
  ListSegmentInfo,
  SegmentInfo,
  SingleSegmentInfo,
  TemplateSegmentInfo,
  TimelineEntry,
  UrlRange,
} from './model/SegmentInfo.js';
export type { UtcTiming, UtcTimingScheme } from './model/UtcTiming.js';
export { localPathFor } from './output/localPathFor.js';
export {
  type ListSegmentsOptions,
  listRepresentationSegments,
  type SegmentListing,
} from './resolve/listRepresentationSegments.js';
export {
  type ResolvedAdaptationSet,
  type ResolvedMpd,
  type ResolvedPeriod,
  type ResolvedRepresentation,
  type ResolveOptions,
  resolveMpd,
} from './resolve/resolveMpd.js';
export {
  parseSelection,
  type RepresentationSelection,
  type SelectedRepresentation,
  selectRepresentations,
} from './select/selectRepresentations.js';
export { type ByteRange, byteRangeLength, formatByteRange } from './values/ByteRange.js';
export { parseXsDateTime } from './values/xsDateTime.js';
export { parseXsDuration } from './values/xsDuration.js';
export type { XmlElement } from './xml/XmlElement.js';
