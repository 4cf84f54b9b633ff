import { expectNumber, invalidOption, type TimeRange } from '@rec/core';

/** Checks a window and a pad (caller's options: `TypeError`s), and returns the padded bounds `[from, to)`. */
export function validateWindow(window: TimeRange, pad = 0): { from: number; to: number } {
  const { start, end } = window;
  expectNumber('window.start', start);
  expectNumber('window.end', end);
  if (!(end > start)) throw invalidOption('window.end', `a time after \`window.start\` (${start})`, end);
  expectNumber('pad', pad, 0);
  return { from: start - pad, to: end + pad };
}
