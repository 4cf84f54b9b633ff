import { expectNumber, invalidOption } from '@rec/core';

/** Checks a `window` option: finite `start` and `end`, `end` after `start`; a `TypeError` otherwise. */
export function expectWindow(window: { start: number; end: number }): void {
  expectNumber('window.start', window.start);
  expectNumber('window.end', window.end);
  if (!(window.end > window.start)) {
    throw invalidOption('window.end', `a time after \`window.start\` (${window.start})`, window.end);
  }
}
