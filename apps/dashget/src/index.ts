export { DashgetError, DashgetErrorCode } from './DashgetError.js';
export type { DashgetOptions } from './DashgetOptions.js';
export { DashgetWarningCode } from './DashgetWarningCode.js';
export {
  type DashgetResult,
  dashget,
  type ResolvedManifest,
  type ResolveManifestOptions,
  resolveManifest,
} from './dashget.js';
export { HttpRequestError } from './download/HttpRequestError.js';
export {
  createHttpClient,
  type HttpBufferResponse,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequestOptions,
  type HttpResponse,
} from './download/httpClient.js';
export * from './download/index.js';
export { type DryRunJson, dryRunJson } from './dryRunJson.js';
export type { FetchedManifest, FetchManifest } from './live/fetchManifest.js';
export { formatLiveSummary } from './live/formatLiveSummary.js';
export type { LiveClockSummary } from './live/LiveClock.js';
export { LiveWarningCode } from './live/LiveWarningCode.js';
export {
  type LiveEnd,
  type LiveProgress,
  type LiveRecordingSummary,
  type RecordLiveOptions,
  recordLive,
} from './live/recordLive.js';
export { type LoadedManifest, loadManifest } from './manifest/loadManifest.js';
export { type OfflineMpd, type OfflineMpdOptions, rewriteOfflineMpd } from './manifest/rewriteOfflineMpd.js';
