import { describe, expect, it } from 'vitest';
import { PresentationTimer } from '../../src/timing/PresentationTimer.js';

/** Pictures given as POCs in decoding order; an IDR flushes. */
function run(pocs: number[], reorder: number, idrs: number[] = [0]) {
  const timer = new PresentationTimer<number>({ startPts: 10_000, frameDuration: 1000 });
  const out = pocs.flatMap((poc, i) => timer.push({ poc, flushBefore: idrs.includes(i), reorder, item: i }));
  out.push(...timer.flush());
  return out.map((t) => [t.item, t.pts, t.dts]);
}

describe('PresentationTimer', () => {
  it('I P B B with one frame of reordering', () => {
    // Decoding order I0 P3 B1 B2 (POC 0 6 2 4): presentation order I0 B1 B2 P3.
    expect(run([0, 6, 2, 4], 1)).toEqual([
      [0, 10_000, 9000],
      [1, 13_000, 10_000],
      [2, 11_000, 11_000],
      [3, 12_000, 12_000],
    ]);
  });

  it('B-pyramid with two frames of reordering, two GOPs', () => {
    // I0 P8 B4 b2 b6 | IDR: I0 P4 B2
    const out = run([0, 8, 4, 2, 6, 0, 4, 2], 2, [0, 5]);
    expect(out.map(([, pts]) => pts)).toEqual([
      10_000, 14_000, 12_000, 11_000, 13_000, 15_000, 17_000, 16_000,
    ]);
    expect(out.map(([, , dts]) => dts)).toEqual([8000, 9000, 10_000, 11_000, 12_000, 13_000, 14_000, 15_000]);
    for (const [, pts, dts] of out) expect(pts!).toBeGreaterThanOrEqual(dts!);
  });

  it('fractional durations (29.97 fps) do not drift', () => {
    const timer = new PresentationTimer<number>({ startPts: 0, frameDuration: 3003.003003 });
    const out: number[] = [];
    for (let i = 0; i < 30_000; i++)
      out.push(...timer.push({ poc: i * 2, flushBefore: i === 0, reorder: 0, item: i }).map((t) => t.pts));
    expect(out.at(-1)).toBe(Math.round(29_999 * 3003.003003));
  });
});
