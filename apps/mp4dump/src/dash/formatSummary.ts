import { relative } from 'node:path';
import type { DashSummary, RepresentationSummary } from './dumpDash.js';

/** The `--json` summary. */
export function summaryJson(summary: DashSummary, ok: boolean) {
  return { ok, ...summary };
}

const columns = ['representation', 'type', 'segments', 'bytes', 'boxes', 'errors', 'output'] as const;

/**
 * The summary table printed on stdout: one row per representation
 * (`segments` counts the media segments; `bytes` and `boxes` include the
 * init segment), then a line for each one skipped or failed, saying why.
 */
export function formatSummary(summary: DashSummary): string {
  const shown = (path: string | undefined) =>
    path === undefined ? undefined : relative(summary.dir, path) || path;
  const cells = (row: RepresentationSummary): string[] => {
    const done = row.status !== 'skipped' && !(row.status === 'failed' && row.bytes === 0);
    return [
      row.id,
      row.contentType ?? row.mimeType ?? '-',
      done ? String(row.segments) : '-',
      done ? String(row.bytes) : '-',
      row.status === 'dumped' ? String(row.boxes) : '-',
      row.status === 'skipped' ? '-' : String(row.errors),
      row.status === 'skipped'
        ? 'skipped'
        : [shown(row.dump), shown(row.concat)].filter(Boolean).join(' ') || row.status,
    ];
  };
  const rows = [[...columns], ...summary.representations.map(cells)];
  const widths = columns.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const numeric = new Set([2, 3, 4, 5]);
  const lines = rows.map((row) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        if (column === row.length - 1) return cell;
        return numeric.has(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  '),
  );
  const dumped = summary.representations.filter((row) => row.status === 'dumped').length;
  const header = `${summary.manifest}: ${summary.representations.length} representations, ${dumped} dumped`;
  const notes = summary.representations
    .filter((row) => row.reason !== undefined)
    .map(
      (row) =>
        `${row.status === 'skipped' ? 'skipped' : row.status === 'failed' ? 'failed' : 'damaged'} ${row.id}: ${row.reason}`,
    );
  return `${[header, ...lines, ...notes].join('\n')}\n`;
}
