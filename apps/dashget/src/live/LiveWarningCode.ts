/** What a live recording recovers from (`DASHGET_LIVE_`: unique across rec packages). */
export const LiveWarningCode = {
  /** The manifest was static when first read: its first `duration` seconds were recorded. */
  NotDynamic: 'DASHGET_LIVE_NOT_DYNAMIC',
  /** The manifest turned static during the recording: what it lists of the window was recorded, then it ended. */
  TurnedStatic: 'DASHGET_LIVE_TURNED_STATIC',
  /** A manifest refresh failed; the previous manifest was used until the next one. */
  RefreshFailed: 'DASHGET_LIVE_REFRESH_FAILED',
  /** A refresh followed `Location` to another URL. */
  Relocated: 'DASHGET_LIVE_RELOCATED',
  /** No new segment came for too long: the recording ended short of its duration. */
  Stalled: 'DASHGET_LIVE_STALLED',
  /** A segment maps to a file another segment already took: it was not downloaded. */
  PathTaken: 'DASHGET_LIVE_PATH_TAKEN',
  /** A clock re-sync could not reach any UTCTiming source: the last offset measured is kept. */
  ClockResyncFailed: 'DASHGET_LIVE_CLOCK_RESYNC_FAILED',
  /** A Representation addressed by SegmentBase or a byte-ranged SegmentList is left out of a live recording. */
  AddressingUnsupported: 'DASHGET_LIVE_ADDRESSING_UNSUPPORTED',
} as const;
export type LiveWarningCode = (typeof LiveWarningCode)[keyof typeof LiveWarningCode];
