import { describe, expect, it } from 'vitest';
import { nameTolerance, spanGaps } from '../src/contentTimeline.js';

const range = { start: 100, end: 110 };
const span = (key: string, start: number, end: number) => ({ key, start, end });

describe('spanGaps: holes of one kind from what its segments cover', () => {
  it.each([
    ['covered end to end', [span('a', 98, 104), span('b', 104, 110)], [], 0],
    ['a missing segment', [span('a', 100, 102), span('c', 104, 110)], [['a', 'c', 102, 104]], 2],
    [
      'holes at both edges',
      [span('b', 102, 108)],
      [
        [null, 'b', 100, 102],
        ['b', null, 108, 110],
      ],
      4,
    ],
    ['nothing at all', [], [[null, null, 100, 110]], 10],
    ['an overlap is no hole', [span('a', 100, 106), span('b', 104, 110)], [], 0],
    [
      'a segment inside another',
      [span('a', 100, 107), span('b', 101, 102), span('c', 108, 110)],
      [['a', 'c', 107, 108]],
      1,
    ],
    ['before and after the range', [span('a', 90, 99), span('z', 111, 112)], [['a', 'z', 100, 110]], 10],
  ] as const)('%s', (_, spans, expected, holeSeconds) => {
    const result = spanGaps('video', spans, range, 0.5);
    expect(result.gaps.map((gap) => [gap.after, gap.before, gap.start, gap.end])).toEqual(expected);
    expect(result.gaps.every((gap) => gap.kind === 'video' && gap.seconds === gap.end - gap.start)).toBe(
      true,
    );
    expect(result.holeSeconds).toBe(holeSeconds);
  });

  it('does not list a hole within the tolerance, but counts it', () => {
    const result = spanGaps('audio', [span('a', 100, 104.96), span('b', 105, 110)], range, 0.05);
    expect(result.gaps).toEqual([]);
    expect(result.holeSeconds).toBeCloseTo(0.04, 9);
  });

  it('takes names in whole seconds as 1 s precise, millisecond names as 50 ms', () => {
    expect(nameTolerance([{ epoch: 1_700_000_000 }, { epoch: 1_700_000_002 }])).toBe(1);
    expect(nameTolerance([{ epoch: 1_700_000_000 }, { epoch: 1_700_000_002.04 }])).toBe(0.05);
  });
});
