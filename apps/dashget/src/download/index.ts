/**
 * dashget's download library (no printing; the CLI is a thin layer over it).
 *
 *   planDownload(resolved: ResolvedMpd, options?: { manifestUrl?: string }): DownloadPlanItem[]
 *     Every selected Representation's init/index/media files, one item per resource, with its
 *     safe local path (localPathFor). Throws MpdError MPD_UNSAFE_URL before anything is written.
 *
 *   downloadFiles(items: Iterable<DownloadPlanItem> | AsyncIterable<DownloadPlanItem>,
 *                 options: DownloadFilesOptions): Promise<DownloadSummary>
 *     options: { outputDir, threads? = 8, retries? = 5, timeout? = 30_000 ms, retryDelay? = 500 ms,
 *                signal?, onProgress?(TransferProgress), onWarning?(RecWarning<DashgetWarningCode>) }
 *     `.part` + rename, skip complete files, resume parts (journal `.dashget-resume.jsonl` in
 *     outputDir), got retries, fallback URLs. Failed files are in `summary.failed` (no throw);
 *     an abort rejects with `signal.reason`. A localPath already taken in one call is skipped,
 *     so a live loop may pass the same items again (but dedupe across calls is the caller's).
 *
 *   DownloadPlanItem { url; fallbackUrls?; range?: ByteRange; localPath; representationId;
 *                      kind: 'init' | 'media' | 'index'; segments: number }
 *   TransferProgress extends @rec/core Progress { transferred/total files, bytes; segments; segmentsTotal; elapsed }
 *   DownloadSummary { files; segments; bytes; downloadedBytes; skipped; resumed;
 *                     failed: FailedDownload[]; representations: RepresentationSummary[]; warnings; elapsed }
 */
export type {
  DownloadKind,
  DownloadPlanItem,
  DownloadSummary,
  FailedDownload,
  RepresentationSummary,
  TransferProgress,
} from './DownloadPlanItem.js';
export { type DownloadFilesOptions, downloadFiles } from './downloadFiles.js';
export { planDownload } from './planDownload.js';
