/**
 * What `@rec/mpd` recovers from, reported on results as `RecWarning`s (one
 * entry per code with a count). Unique across rec packages: all `MPD_`.
 */
export const MpdWarningCode = {
  /** A namespace prefix used but never declared (`scte35:`, `mspr:`): kept, namespace unknown. */
  UndeclaredPrefix: 'MPD_UNDECLARED_PREFIX',
  /** A bare `&` that starts no entity reference: kept as written. */
  BareAmpersand: 'MPD_BARE_AMPERSAND',
  /** An attribute whose value is not of its type, on an attribute that is only descriptive: ignored. */
  BadAttribute: 'MPD_BAD_ATTRIBUTE',
  /** A Representation without `@id` (mandatory): one is made up from its position. */
  MissingId: 'MPD_MISSING_ID',
  /** A Period `@start` that had to be assumed (first Period of a dynamic MPD without one). */
  PeriodStartAssumed: 'MPD_PERIOD_START_ASSUMED',
  /** A Period whose start cannot be known (5.3.2.1 early available Period): no segments. */
  EarlyAvailablePeriod: 'MPD_EARLY_PERIOD',
  /** Period `@duration` disagrees with the next Period's `@start`: the next `@start` wins. */
  PeriodGap: 'MPD_PERIOD_GAP',
  /** A dynamic MPD without `@availabilityStartTime` (mandatory): resolved as if static. */
  NoAvailabilityStart: 'MPD_NO_AVAILABILITY_START',
  /** A static MPD whose Period end is unknown, for addressing that needs it. */
  NoDuration: 'MPD_NO_DURATION',
  /** A Representation with no Segment* information and no BaseURL: no segments. */
  NoSegmentInfo: 'MPD_NO_SEGMENT_INFO',
  /** Several of SegmentBase / SegmentList / SegmentTemplate at one level: one is used. */
  AddressingConflict: 'MPD_ADDRESSING_CONFLICT',
  /** A SegmentTimeline `S` that was skipped or cut (no `@d`, `@t` going back, `r=-1` with no end). */
  TimelineEntry: 'MPD_TIMELINE_ENTRY',
  /** Consecutive SegmentTimeline entries that leave a gap or overlap. */
  TimelineGap: 'MPD_TIMELINE_GAP',
  /** A template identifier with no value here (`$Time$` in `@initialization`) or an unknown one: kept as written. */
  TemplateIdentifier: 'MPD_TEMPLATE_IDENTIFIER',
  /** A SegmentList whose SegmentURL count differs from its SegmentTimeline. */
  SegmentListMismatch: 'MPD_SEGMENT_LIST_MISMATCH',
  /** More segments than `maxSegments` in one Representation: the list was cut. */
  SegmentsCapped: 'MPD_SEGMENTS_CAPPED',
  /**
   * A dynamic MPD whose listed segments all ended before its time-shift
   * window: none is available any more (a saved copy of a live MPD).
   */
  StaleSegments: 'MPD_STALE_SEGMENTS',
  /** A dynamic MPD resolved against the local clock (no usable UTCTiming). */
  LocalClock: 'MPD_CLOCK_LOCAL',
  /** A UTCTiming source that failed or answered something unreadable; the next one was tried. */
  UtcTimingFailed: 'MPD_UTC_TIMING_FAILED',
  /** An element with `xlink:href` to a remote element: not fetched, used as written. */
  XlinkNotResolved: 'MPD_XLINK_NOT_RESOLVED',
  /** A URL in the manifest that does not parse: the element is skipped. */
  BadUrl: 'MPD_BAD_URL',
} as const;
export type MpdWarningCode = (typeof MpdWarningCode)[keyof typeof MpdWarningCode];
