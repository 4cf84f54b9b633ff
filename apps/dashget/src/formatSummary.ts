import type { DashgetResult } from './dashget.js';
import type { TransferProgress } from './download/DownloadPlanItem.js';

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The progress line's words beside the bar: segments, speed, ETA (from the fraction of files done). */
export function describeTransfer(progress: TransferProgress): string {
  const seconds = progress.elapsed / 1000;
  const speed = seconds > 0 ? progress.bytes / seconds : 0;
  const fraction = progress.percent;
  const eta =
    fraction > 0 && fraction < 1 ? ` ETA ${Math.ceil((seconds * (1 - fraction)) / fraction)} s` : '';
  return `${progress.segments}/${progress.segmentsTotal} segments ${megabytes(speed)}/s${eta}`;
}

/** The text summary: one line per Representation, then the failures by name. */
export function formatSummary(result: DashgetResult): string {
  const download = result.download;
  if (!download) return '';
  const lines = [
    `${result.outputDir}/${result.manifestPath}: ${download.segments} segments in ${download.files} files, ${megabytes(download.bytes)} (${megabytes(download.downloadedBytes)} fetched) in ${(download.elapsed / 1000).toFixed(1)} s`,
  ];
  for (const r of download.representations) {
    lines.push(
      `  ${r.representationId}: ${r.segments} segments, ${r.files} files, ${megabytes(r.bytes)}, ${r.skipped} skipped, ${r.resumed} resumed, ${r.failed} failed`,
    );
  }
  for (const failure of download.failed)
    lines.push(`  FAILED ${failure.localPath} (${failure.url}): ${failure.reason}`);
  for (const warning of result.warnings) {
    lines.push(
      `  warning ${warning.code}: ${warning.message}${warning.count > 1 ? ` (x${warning.count})` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `--json` after a download. */
export function summaryJson(result: DashgetResult) {
  const download = result.download;
  return {
    ok: download !== undefined && download.failed.length === 0,
    manifest: result.manifest,
    output: result.outputDir,
    manifestPath: result.manifestPath ?? null,
    files: download?.files ?? 0,
    segments: download?.segments ?? 0,
    bytes: download?.bytes ?? 0,
    downloadedBytes: download?.downloadedBytes ?? 0,
    skipped: download?.skipped ?? 0,
    resumed: download?.resumed ?? 0,
    failed: download?.failed ?? [],
    representations: download?.representations ?? [],
    offlineChanges: result.offlineChanges,
    warnings: result.warnings.map(({ code, message, count }) => ({ code, message, count })),
    elapsed: Math.round(download?.elapsed ?? 0),
  };
}
