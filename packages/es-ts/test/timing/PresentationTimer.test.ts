import { fcParameters } from '@rec/test-support';
import fc from 'fast-check';
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

  it('a later GOP that reorders deeper than the first: DTS stays at or below every PTS, and increasing', () => {
    // Found by the property test (seed -1260926339): a damaged first SPS said 0 frames of reordering, the
    // next GOP's SPS 2. I0 P6 B2 B4 P8 at depth 0, then IDR I0 P6 B2 B4 P8 at depth 2. The P-frame decoded
    // at n = 6 is shown after the B-frame decoded at n = 7, whose DTS from the formula is past its PTS.
    const timer = new PresentationTimer<number>({ startPts: 126_000, frameDuration: 3600 });
    const gop = [0, 6, 2, 4, 8];
    const out = [
      ...gop.map((poc, i) => ({ poc, flushBefore: i === 0, reorder: 0, item: i })),
      ...gop.map((poc, i) => ({ poc, flushBefore: i === 0, reorder: 2, item: 5 + i })),
    ].flatMap((input) => timer.push(input));
    out.push(...timer.flush());
    expect(out.map((t) => [t.item, t.pts, t.dts])).toEqual([
      [0, 126_000, 126_000],
      [1, 129_600, 129_600],
      [2, 133_200, 133_200],
      [3, 136_800, 136_800],
      [4, 140_400, 140_400],
      [5, 144_000, 144_000],
      // The formula gives 147_600, 151_200, 154_800: capped one tick below the next PTS, then at their own.
      [6, 154_800, 147_599],
      [7, 147_600, 147_600],
      [8, 151_200, 151_200],
      [9, 158_400, 158_400],
    ]);
    expect(timer.clamped).toBe(3);
  });

  it('property: any POCs and reorder depths give DTS <= PTS, increasing DTS, one PTS per slot', () => {
    const picture = fc.record({
      poc: fc.integer({ min: -64, max: 64 }),
      flushBefore: fc.boolean(),
      reorder: fc.integer({ min: 0, max: 16 }),
    });
    fc.assert(
      fc.property(
        fc.array(picture, { minLength: 1, maxLength: 80 }),
        fc.double({ min: 90, max: 9000, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 32 }),
        (pictures, frameDuration, startPts) => {
          const timer = new PresentationTimer<number>({ startPts, frameDuration });
          const out = pictures.flatMap((p, item) => timer.push({ ...p, item }));
          out.push(...timer.flush());
          expect(out.map((t) => t.item)).toEqual(pictures.map((_, i) => i));
          for (const [i, t] of out.entries()) {
            expect(t.dts).toBeLessThanOrEqual(t.pts);
            if (i > 0) expect(t.dts).toBeGreaterThan(out[i - 1]!.dts);
          }
          expect(new Set(out.map((t) => t.pts)).size).toBe(out.length);
        },
      ),
      fcParameters(300),
    );
  });
});
