import { describe, expect, it } from 'vitest';
import { createProgressReporter, describeProgress, formatBytes } from '../src/index.js';

/** A stream that keeps what is written, as a terminal (`isTTY`) or a pipe. */
function sink(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return {
    writes,
    stream: { isTTY, columns: columns ?? 80, write: (text: string) => writes.push(text) > 0 },
  };
}

describe('createProgressReporter', () => {
  it('prints plain lines off a terminal: each step start, every 25 %, the end (percent in [0, 1])', () => {
    const { writes, stream } = sink(false);
    const reporter = createProgressReporter({ stream, env: {} });
    reporter.report({ phase: 'list', transferred: 0, unit: 'keys' });
    reporter.report({ phase: 'list', transferred: 12, total: 12, percent: 1, unit: 'keys' });
    for (let done = 0; done <= 10; done++) {
      reporter.report({
        phase: 'download',
        transferred: done * 1e6,
        total: 10e6,
        percent: done / 10,
        unit: 'bytes',
      });
    }
    reporter.done();
    expect(writes.join('')).toBe(
      [
        'list 0 keys',
        '100% list 12 / 12 keys',
        '0% download 0 B / 10.0 MB',
        '30% download 3.0 MB / 10.0 MB',
        '50% download 5.0 MB / 10.0 MB',
        '80% download 8.0 MB / 10.0 MB',
        '100% download 10.0 MB / 10.0 MB',
        '',
      ].join('\n'),
    );
  });

  it('derives the fraction from the counts when percent is absent', () => {
    const { writes, stream } = sink(false);
    createProgressReporter({ stream, env: {} }).report({ transferred: 5, total: 20, unit: 'files' });
    expect(writes).toEqual(['25% 5 / 20 files\n']);
  });

  it('redraws one bar on a terminal, at most every interval, always at 100 %, and ends its line', () => {
    const { writes, stream } = sink(true);
    let time = 0;
    const reporter = createProgressReporter({ stream, env: {}, now: () => time });
    reporter.report({ phase: 'mux', transferred: 0, total: 10, percent: 0, unit: 'seconds' });
    time = 50;
    reporter.report({ phase: 'mux', transferred: 5, total: 10, percent: 0.5, unit: 'seconds' }); // too soon
    time = 150;
    reporter.report({ phase: 'mux', transferred: 10, total: 10, percent: 1, unit: 'seconds' });
    reporter.done();
    expect(writes).toEqual([
      `\r\u001b[2K[${' '.repeat(30)}]   0% mux 0.0 s / 10.0 s`,
      `\r\u001b[2K[\u001b[32m${'#'.repeat(30)}\u001b[39m] 100% mux 10.0 s / 10.0 s`,
      '\n',
    ]);
  });

  it('uses no color under NO_COLOR, and keeps the bar inside the terminal width', () => {
    const { writes, stream } = sink(true, 40);
    const reporter = createProgressReporter({ stream, env: { NO_COLOR: '1' } });
    reporter.report({ phase: 'download', transferred: 5e8, total: 1e9, percent: 0.5, unit: 'bytes' });
    expect(writes).toEqual([`\r\u001b[2K[${'#'.repeat(15)}${' '.repeat(15)}]  50% d`]);
    expect((writes[0] ?? '').length - '\r\u001b[2K'.length).toBe(39);
  });

  it('prints plain lines on a dumb terminal, and nothing when disabled', () => {
    const dumb = sink(true);
    createProgressReporter({ stream: dumb.stream, env: { TERM: 'dumb' } }).report({
      transferred: 1,
      total: 2,
      unit: 'files',
    });
    expect(dumb.writes).toEqual(['50% 1 / 2 files\n']);
    const off = sink(true);
    createProgressReporter({ stream: off.stream, enabled: false, env: {} }).report({
      transferred: 1,
      unit: 'bytes',
    });
    expect(off.writes).toEqual([]);
  });
});

describe('describeProgress and formatBytes', () => {
  it('shows SI sizes, seconds and counts', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
    expect(describeProgress({ phase: 'encode', transferred: 4, total: 10, unit: 'seconds' })).toBe(
      'encode 4.0 s / 10.0 s',
    );
  });
});
