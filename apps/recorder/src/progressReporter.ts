import type { RecordProgress } from './RecordOptions.js';

const units = ['B', 'kB', 'MB', 'GB', 'TB'];

/** `1234567` -> `1.2 MB` (SI, as ffmpeg and the AWS CLI print sizes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function describe(progress: RecordProgress): string {
  const amount = (value: number) =>
    progress.unit === 'bytes'
      ? formatBytes(value)
      : progress.unit === 'seconds'
        ? `${value.toFixed(1)} s`
        : `${value}`;
  const total = progress.total === undefined ? '' : ` / ${amount(progress.total)}`;
  return `${progress.phase} ${amount(progress.transferred)}${total}`;
}

/**
 * Progress on stderr: a redrawn bar on a TTY, otherwise one plain line per
 * phase step (each phase's start, every 25 %, and its end).
 */
export function createProgressReporter(stream: NodeJS.WriteStream, enabled: boolean) {
  const tty = stream.isTTY === true;
  let lastPhase = '';
  let lastQuarter = -1;
  let lastDraw = 0;
  let drawn = false;
  return {
    report(progress: RecordProgress): void {
      if (!enabled) return;
      const percent =
        progress.percent ?? (progress.total ? (100 * progress.transferred) / progress.total : undefined);
      if (tty) {
        const now = Date.now();
        const finished = percent !== undefined && percent >= 100;
        if (progress.phase === lastPhase && !finished && now - lastDraw < 100) return;
        lastDraw = now;
        lastPhase = progress.phase;
        const width = 30;
        const filled = Math.round(((percent ?? 0) / 100) * width);
        const bar =
          percent === undefined ? ' '.repeat(width) : `${'#'.repeat(filled)}${' '.repeat(width - filled)}`;
        const label = percent === undefined ? '    ' : `${Math.floor(percent).toString().padStart(3)}%`;
        stream.write(`\r\x1b[2K[${bar}] ${label} ${describe(progress)}`);
        drawn = true;
        return;
      }
      const quarter = percent === undefined ? 0 : Math.floor(percent / 25);
      if (progress.phase === lastPhase && quarter === lastQuarter) return;
      lastPhase = progress.phase;
      lastQuarter = quarter;
      stream.write(`${percent === undefined ? '' : `${Math.floor(percent)}% `}${describe(progress)}\n`);
    },
    /** Ends the bar's line so that what follows starts clean. */
    done(): void {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
