/** Warnings of dashget itself (the manifest's come with `MPD_` codes). */
export const DashgetWarningCode = {
  /** A file was fetched from a fallback BaseURL after the first one failed. */
  FallbackUsed: 'DASHGET_FALLBACK_USED',
  /** The server ignored a Range request (200 instead of 206): the file was fetched whole. */
  RangeIgnored: 'DASHGET_RANGE_IGNORED',
  /** A `.part` file could not be continued (its validator changed or is unknown): fetched again. */
  PartRestarted: 'DASHGET_PART_RESTARTED',
  /** A reference of the saved MPD still points online: at what was not downloaded, or where no relative path serves. */
  OfflineUrlKept: 'DASHGET_OFFLINE_URL_KEPT',
} as const;
export type DashgetWarningCode = (typeof DashgetWarningCode)[keyof typeof DashgetWarningCode];
