import { describe, expect, it } from 'vitest';
import type { AccessUnit } from '../../src/index.js';
import { SegmentTimeline, type TimelineStep } from '../../src/timeline/SegmentTimeline.js';

// The timeline stage alone, on access units made up for each case: times are
// in frames of 25 fps (3600 ticks of 90 kHz), each unit one frame long.
const FRAME = 3600;

/** [pts, dts] in frames, and whether it is a keyframe. */
type Unit = [pts: number, dts: number, key?: 'K'];

interface Case {
  name: string;
  /** [start, end) in frames. */
  keep?: [number, number];
  segments: { name: string; start: number; units: Unit[] }[];
  /** `<segment>@<pts in frames>` in the order written. */
  written: string[];
  dropped: string[];
  overlaps?: { previous: string; next: string; seconds: number; droppedFrames: number }[];
  /** Segments the timeline refused (it was done). */
  refused?: string[];
  dtsAdjusted?: number;
  /** Units held past their push (copied by `retain`), `<segment>@<pts>`. */
  retained?: string[];
}

const cases: Case[] = [
  {
    name: 'segments back to back, no window: everything, in order',
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, 0, 'K'],
          [1, 1],
          [2, 2],
        ],
      },
      {
        name: 'b',
        start: 3,
        units: [
          [3, 3, 'K'],
          [4, 4],
        ],
      },
    ],
    written: ['a@0', 'a@1', 'a@2', 'b@3', 'b@4'],
    dropped: [],
    overlaps: [],
  },
  {
    name: 'an overlap drops up to the first keyframe presented at or after the previous end',
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, 0, 'K'],
          [1, 1],
          [2, 2],
          [3, 3],
        ],
      },
      {
        name: 'b',
        start: 2,
        units: [
          [2, 2, 'K'],
          [3, 3],
          [4, 4, 'K'],
          [5, 5],
        ],
      },
    ],
    written: ['a@0', 'a@1', 'a@2', 'a@3', 'b@4', 'b@5'],
    dropped: ['b@2', 'b@3'],
    overlaps: [{ previous: 'a', next: 'b', seconds: 0.08, droppedFrames: 2 }],
  },
  {
    name: 'the keyframe that ends an overlap must also decode after everything accepted',
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, 0, 'K'],
          [1, 1],
          [2, 2],
          [3, 3],
        ],
      },
      {
        name: 'b',
        start: 3,
        units: [
          [4, 3, 'K'],
          [5, 4],
          [6, 5, 'K'],
        ],
      },
    ],
    written: ['a@0', 'a@1', 'a@2', 'a@3', 'b@6'],
    dropped: ['b@4', 'b@5'],
    overlaps: [{ previous: 'a', next: 'b', seconds: 0.04, droppedFrames: 2 }],
  },
  {
    name: 'a segment the overlap drops whole is not the previous one of the next',
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, 0, 'K'],
          [1, 1],
          [2, 2],
          [3, 3],
        ],
      },
      {
        name: 'b',
        start: 1,
        units: [
          [1, 1, 'K'],
          [2, 2],
          [3, 3],
        ],
      },
      {
        name: 'c',
        start: 3,
        units: [
          [3, 3, 'K'],
          [4, 4, 'K'],
        ],
      },
    ],
    written: ['a@0', 'a@1', 'a@2', 'a@3', 'c@4'],
    dropped: ['b@1', 'b@2', 'b@3', 'c@3'],
    overlaps: [
      { previous: 'a', next: 'b', seconds: 0.12, droppedFrames: 3 },
      { previous: 'a', next: 'c', seconds: 0.04, droppedFrames: 1 },
    ],
  },
  {
    name: 'keep.start: from the last keyframe at or before it; the GOPs before are dropped',
    keep: [5, 100],
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, 0, 'K'],
          [1, 1],
          [2, 2],
          [3, 3, 'K'],
          [4, 4],
          [5, 5],
          [6, 6, 'K'],
          [7, 7],
        ],
      },
    ],
    written: ['a@3', 'a@4', 'a@5', 'a@6', 'a@7'],
    dropped: ['a@0', 'a@1', 'a@2'],
    retained: ['a@0', 'a@1', 'a@2', 'a@3', 'a@4', 'a@5'],
  },
  {
    name: 'keep.start: units before the first keyframe dropped; a GOP still held at the end is the one',
    keep: [10, 100],
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, 0],
          [1, 1],
          [2, 2, 'K'],
          [3, 3],
        ],
      },
    ],
    written: ['a@2', 'a@3'],
    dropped: ['a@0', 'a@1'],
    retained: ['a@2', 'a@3'],
  },
  {
    name: 'keep.start across segments: the GOP held spans them',
    keep: [3, 100],
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, 0, 'K'],
          [1, 1],
        ],
      },
      {
        name: 'b',
        start: 2,
        units: [
          [2, 2, 'K'],
          [3, 3],
          [4, 4, 'K'],
        ],
      },
    ],
    written: ['b@2', 'b@3', 'b@4'],
    dropped: ['a@0', 'a@1'],
    retained: ['a@0', 'a@1', 'b@2', 'b@3'],
  },
  {
    name: 'keep.start after a hole: the GOP held, ended before the start, is dropped (not hours of the past)',
    keep: [10, 100],
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, 0, 'K'],
          [1, 1],
        ],
      },
      {
        name: 'b',
        start: 12,
        units: [
          [12, 12, 'K'],
          [13, 13],
        ],
      },
    ],
    written: ['b@12', 'b@13'],
    dropped: ['a@0', 'a@1'],
    retained: ['a@0', 'a@1'],
  },
  {
    name: 'keep.end: units at or after it wait for a later one before it; a keyframe at or after it ends',
    keep: [-10, 5],
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, -1, 'K'],
          [1, 0],
          [2, 1],
          [5, 2],
          [4, 3],
          [7, 4],
          [6, 5, 'K'],
          [8, 6],
        ],
      },
      { name: 'b', start: 9, units: [[9, 9, 'K']] },
    ],
    // 5 waits and goes out before 4, which needs it; 7 waits and goes with the keyframe at 6.
    written: ['a@0', 'a@1', 'a@2', 'a@5', 'a@4'],
    dropped: [],
    refused: ['b'],
    retained: ['a@5', 'a@7'],
  },
  {
    name: 'a window inside one GOP: keep.end applies to the GOP held for keep.start',
    keep: [1, 3],
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, 0, 'K'],
          [1, 1],
          [2, 2],
          [3, 3],
          [4, 4],
          [5, 5],
          [6, 6, 'K'],
          [7, 7],
        ],
      },
      { name: 'b', start: 8, units: [[8, 8, 'K']] },
    ],
    written: ['a@0', 'a@1', 'a@2'],
    dropped: [],
    refused: ['b'],
    retained: ['a@0', 'a@1', 'a@2', 'a@3', 'a@4', 'a@5'],
  },
  {
    name: 'a segment that starts at or after keep.end ends the timeline',
    keep: [0, 3],
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, 0, 'K'],
          [1, 1],
          [2, 2],
        ],
      },
      { name: 'b', start: 3, units: [[3, 3, 'K']] },
    ],
    written: ['a@0', 'a@1', 'a@2'],
    dropped: [],
    refused: ['b'],
    // Held for keep.start (0) until the input ends: no later keyframe came.
    retained: ['a@0', 'a@1', 'a@2'],
  },
  {
    name: 'decoding order across segments: a DTS moved one tick up, a unit presented by then dropped',
    segments: [
      {
        name: 'a',
        start: 0,
        units: [
          [0, 0, 'K'],
          [1, 1],
          [2, 2],
          [3, 3],
        ],
      },
      {
        name: 'b',
        start: 4,
        units: [
          [4, 2, 'K'],
          [3, 2.5],
          [5, 4],
        ],
      },
    ],
    written: ['a@0', 'a@1', 'a@2', 'a@3', 'b@4', 'b@5'],
    dropped: ['b@3'],
    overlaps: [],
    dtsAdjusted: 1,
  },
];

function unit([pts, dts, key]: Unit): AccessUnit {
  return {
    codec: 'h264',
    nals: [],
    keyframe: key === 'K',
    pts: pts * FRAME,
    dts: dts * FRAME,
    duration: FRAME,
    byteOffset: 0,
  };
}

const label = (segment: string, au: AccessUnit) => `${segment}@${au.pts / FRAME}`;

describe('SegmentTimeline', () => {
  for (const c of cases) {
    it(c.name, () => {
      const retained: string[] = [];
      let current = '';
      const timeline = new SegmentTimeline<string>({
        keep: c.keep && { start: c.keep[0] * FRAME, end: c.keep[1] * FRAME },
        retain: (au) => {
          retained.push(label(current, au));
          return au;
        },
      });
      const names = new Map<AccessUnit, string>();
      const steps: TimelineStep<string>[] = [];
      const refused: string[] = [];
      for (const segment of c.segments) {
        if (!timeline.beginSegment(segment.name, segment.start * FRAME, segment.name)) {
          refused.push(segment.name);
          continue;
        }
        current = segment.name;
        const aus = segment.units.map(unit);
        for (const au of aus) names.set(au, segment.name);
        timeline.push(aus, steps);
      }
      timeline.finish(steps);
      expect(steps.filter((s) => s.write).map((s) => label(s.write ? s.tag : '', s.au))).toEqual(c.written);
      expect(steps.filter((s) => !s.write).map((s) => label(names.get(s.au) ?? '?', s.au))).toEqual(
        c.dropped,
      );
      if (c.overlaps) expect(timeline.overlaps).toEqual(c.overlaps);
      expect(refused).toEqual(c.refused ?? []);
      expect(timeline.done).toBe(c.refused !== undefined);
      expect(timeline.dtsAdjusted).toBe(c.dtsAdjusted ?? 0);
      expect(retained).toEqual(c.retained ?? []);
    });
  }

  it('a DTS moved up is one tick past the last one written; DTS always increase', () => {
    const timeline = new SegmentTimeline<string>();
    timeline.beginSegment('a', 0, 'a');
    const steps = timeline.push([unit([0, 0, 'K']), unit([1, 1])]);
    timeline.beginSegment('b', 2 * FRAME, 'b');
    timeline.push([unit([2, 0.5, 'K']), unit([3, 1])], steps);
    expect(steps.map((s) => s.au.dts)).toEqual([0, FRAME, FRAME + 1, FRAME + 2]);
  });

  it('coveredUntil and segmentEnd: what the timeline holds, what the current segment gave', () => {
    const timeline = new SegmentTimeline<string>({ keep: { start: 0, end: 6 * FRAME } });
    expect(timeline.coveredUntil).toBe(Number.NEGATIVE_INFINITY);
    timeline.beginSegment('a', 0, 'a');
    timeline.push([unit([0, 0, 'K']), unit([1, 1])]);
    expect([timeline.coveredUntil, timeline.segmentEnd]).toEqual([2 * FRAME, 2 * FRAME]);
    timeline.beginSegment('b', 4 * FRAME, 'b');
    expect(timeline.segmentEnd).toBe(Number.NEGATIVE_INFINITY);
    // A keyframe at keep.end: the timeline is done; the segment's end still counts all it gave.
    timeline.push([unit([4, 4, 'K']), unit([6, 5, 'K']), unit([7, 6])]);
    expect([timeline.done, timeline.segmentEnd, timeline.coveredUntil]).toEqual([true, 8 * FRAME, 7 * FRAME]);
  });
});
