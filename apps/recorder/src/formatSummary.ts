import { formatBytes } from '@rec/cli';
import type { RecordSummary } from './record.js';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** The `--json` summary: the summary minus what only matters in-process. */
export function summaryJson(summary: RecordSummary) {
  const { tempDir: _tempDir, ...rest } = summary;
  return {
    ok: true,
    ...rest,
    window: { ...summary.window, startIso: iso(summary.window.start), endIso: iso(summary.window.end) },
  };
}

/** The human summary printed on stdout. */
export function formatSummary(summary: RecordSummary): string {
  const lines = [
    `wrote ${summary.output} (${summary.format}, ${summary.durationSeconds.toFixed(3)} s, ${formatBytes(summary.bytes.output)})`,
    `  window  ${iso(summary.window.start)} .. ${iso(summary.window.end)}`,
  ];
  if (summary.video) {
    const frames = summary.video.frames === undefined ? '' : `, ${summary.video.frames} frames`;
    const duration =
      summary.video.durationSeconds === undefined ? '' : `, ${summary.video.durationSeconds.toFixed(3)} s`;
    lines.push(`  video   ${summary.video.codec}${frames}${duration}`);
  }
  if (summary.audio) {
    const duration =
      summary.audio.durationSeconds === undefined ? '' : `, ${summary.audio.durationSeconds.toFixed(3)} s`;
    const silence =
      summary.audio.silenceSeconds > 0
        ? ` (${summary.audio.silenceSeconds.toFixed(3)} s of silence for gaps)`
        : '';
    lines.push(`  audio   ${summary.audio.codec}${duration}${silence}`);
  }
  lines.push(
    `  input   ${summary.segments.video} video + ${summary.segments.audio} audio segments, ` +
      `${formatBytes(summary.bytes.downloaded)} downloaded, ${formatBytes(summary.bytes.reused)} reused, ` +
      `${summary.requests.total} S3 requests (${summary.requests.ListObjectsV2} list)`,
  );
  for (const gap of summary.gaps) {
    lines.push(
      `  gap     ${gap.kind} ${iso(gap.start)} .. ${iso(gap.end)} (${gap.seconds.toFixed(3)} s missing)`,
    );
  }
  for (const overlap of summary.overlaps) {
    lines.push(
      `  overlap ${overlap.kind} ${overlap.after} / ${overlap.before} (${overlap.seconds.toFixed(3)} s)`,
    );
  }
  for (const damage of summary.damaged) {
    lines.push(
      `  damaged ${damage.kind} ${damage.key} ${damage.reason}: ${iso(damage.start)} .. ${iso(damage.end)} ` +
        `(${(damage.end - damage.start).toFixed(3)} s lost)`,
    );
  }
  for (const warning of summary.warnings) {
    // The message is the first occurrence's; the count says it was not the only one.
    const times = warning.count > 1 ? ` (x${warning.count})` : '';
    lines.push(`  warning ${warning.code}: ${warning.message}${times}`);
  }
  const steps = Object.entries(summary.timings)
    .filter(([step, seconds]) => step !== 'total' && seconds !== undefined && seconds >= 0.005)
    .map(([step, seconds]) => `${step} ${(seconds as number).toFixed(2)}`);
  lines.push(`  took    ${summary.timings.total.toFixed(2)} s (${steps.join(', ')})`);
  return `${lines.join('\n')}\n`;
}
