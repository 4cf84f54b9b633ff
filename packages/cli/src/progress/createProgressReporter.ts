import type { Progress } from '@rec/core';
import { formatBytes } from './formatBytes.js';

/** A library's progress, with the step it belongs to when the app has several (`download`, `mux`). */
export type LabelledProgress = Progress & { phase?: string };

export interface ProgressReporter {
  report(progress: LabelledProgress): void;
  /** Ends the bar's line so that what follows (a summary, an error) starts clean. */
  done(): void;
}

export interface ProgressReporterOptions {
  /** Default `process.stderr`: stdout stays for the result. */
  stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY' | 'columns'>;
  /** `false` prints nothing (`--json`). */
  enabled?: boolean;
  /** For `NO_COLOR` and `TERM` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Milliseconds between two redraws of the bar (default 100). */
  interval?: number;
  now?: () => number;
}

/** `download 1.2 MB / 3.4 MB`, `list 12 / 12 keys`, `encode 4.0 s / 10.0 s`. */
export function describeProgress(progress: LabelledProgress): string {
  const amount = (value: number) =>
    progress.unit === 'bytes'
      ? formatBytes(value)
      : progress.unit === 'seconds'
        ? `${value.toFixed(1)} s`
        : `${value}`;
  const total = progress.total === undefined ? '' : ` / ${amount(progress.total)}`;
  const count = progress.unit === 'files' || progress.unit === 'keys' ? ` ${progress.unit}` : '';
  return `${progress.phase === undefined ? '' : `${progress.phase} `}${amount(progress.transferred)}${total}${count}`;
}

/** The fraction done in [0, 1], from `percent` (already in [0, 1], as @rec/core defines it) or the counts. */
function fractionOf(progress: Progress): number | undefined {
  const fraction =
    progress.percent ??
    (progress.total === undefined
      ? undefined
      : progress.total > 0
        ? progress.transferred / progress.total
        : 1);
  return fraction === undefined || Number.isNaN(fraction) ? undefined : Math.min(1, Math.max(0, fraction));
}

/**
 * Progress on stderr. On a terminal, one bar redrawn in place (at most every
 * `interval` ms, and always at a step's first report and at 100 %), cut to
 * the terminal's width so that it never wraps (a wrapped line cannot be
 * redrawn with `\r`), colored unless `NO_COLOR` is set (https://no-color.org).
 * Elsewhere (a pipe, a file, `TERM=dumb`), plain lines: each step's start,
 * every 25 %, and its end.
 */
export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? true;
  const env = options.env ?? process.env;
  const interval = options.interval ?? 100;
  const now = options.now ?? Date.now;
  const bar = stream.isTTY === true && env.TERM !== 'dumb';
  const color = bar && !env.NO_COLOR;
  let lastPhase: string | undefined;
  let lastQuarter = -1;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;

  const draw = (progress: LabelledProgress, fraction: number | undefined) => {
    const width = 30;
    const filled = Math.round((fraction ?? 0) * width);
    const done = '#'.repeat(filled);
    const todo = ' '.repeat(width - filled);
    const label =
      fraction === undefined
        ? '    '
        : `${Math.floor(fraction * 100)
            .toString()
            .padStart(3)}%`;
    const text = `[${fraction === undefined ? ' '.repeat(width) : `${done}${todo}`}] ${label} ${describeProgress(progress)}`;
    // One column short of the width: a terminal wraps when the last column is written.
    const columns = stream.columns && stream.columns > 1 ? stream.columns - 1 : Number.POSITIVE_INFINITY;
    const fitted = text.length > columns ? text.slice(0, columns) : text;
    const colored =
      color && fraction !== undefined && filled > 0
        ? fitted.replace(`[${done}`, `[\u001b[32m${done}\u001b[39m`)
        : fitted;
    // CR, then "erase in line" (ECMA-48 EL, CSI 2 K): redraws over the previous bar.
    stream.write(`\r\u001b[2K${colored}`);
    drawn = true;
  };

  return {
    report(progress) {
      if (!enabled) return;
      const fraction = fractionOf(progress);
      if (bar) {
        const time = now();
        const finished = fraction !== undefined && fraction >= 1;
        if (progress.phase === lastPhase && !finished && time - lastDraw < interval) return;
        lastDraw = time;
        lastPhase = progress.phase;
        draw(progress, fraction);
        return;
      }
      const quarter = fraction === undefined ? 0 : Math.floor(fraction * 4);
      if (progress.phase === lastPhase && quarter === lastQuarter) return;
      lastPhase = progress.phase;
      lastQuarter = quarter;
      const percent = fraction === undefined ? '' : `${Math.floor(fraction * 100)}% `;
      stream.write(`${percent}${describeProgress(progress)}\n`);
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
