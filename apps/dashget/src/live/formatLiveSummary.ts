import type { LiveRecordingSummary } from './recordLive.js';

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The text summary of a live recording: what it wrote, one line per Representation, the failures, the warnings. */
export function formatLiveSummary(summary: LiveRecordingSummary): string {
  const ended = {
    duration: 'its duration reached',
    static: 'the manifest turned static',
    stalled: 'the stream stalled',
  };
  const lines = [
    `${summary.mpdPath}: ${summary.duration.toFixed(1)} s recorded (${ended[summary.end]}), ${summary.segments} segments in ${summary.files} files, ${megabytes(summary.bytes)} in ${(summary.elapsed / 1000).toFixed(1)} s, ${summary.refreshes} manifest reads`,
  ];
  const { clock } = summary;
  if (clock.syncs > 1) {
    lines.push(
      `  server clock: ${clock.syncs} UTCTiming syncs, offset ${(clock.offset / 1000).toFixed(3)} s, drift up to ${(clock.drift / 1000).toFixed(3)} s`,
    );
  }
  for (const r of summary.representations) {
    lines.push(
      `  ${r.representationId}: ${r.segments} segments, ${r.files} files, ${megabytes(r.bytes)}, ${r.skipped} skipped, ${r.resumed} resumed, ${r.failed} failed`,
    );
  }
  for (const failure of summary.failed)
    lines.push(`  FAILED ${failure.localPath} (${failure.url}): ${failure.reason}`);
  for (const warning of summary.warnings) {
    lines.push(
      `  warning ${warning.code}: ${warning.message}${warning.count > 1 ? ` (x${warning.count})` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
