import { describe, expect, it } from 'vitest';
import { type Segment, type SegmentKind, selectWindow, type WindowSelection } from '../../src/index.js';

/** Segments named by their epoch: `v(1000, 1002)` = video at 1000 and 1002. */
const make =
  (kind: SegmentKind) =>
  (...epochs: number[]): Segment[] =>
    epochs.map((epoch) => ({ kind, key: `${kind}/${epoch}`, epoch, size: 1 }));
const v = make('video');
const a = make('audio');
const keys = (selection: WindowSelection) => selection.segments.map((s) => s.key);
const every2 = (from: number, to: number) =>
  Array.from({ length: (to - from) / 2 + 1 }, (_, i) => from + 2 * i);

describe('selectWindow', () => {
  it.each([
    {
      name: 'start mid-segment takes the covering segment',
      segments: v(...every2(1000, 1020)),
      window: { start: 1005, end: 1010 },
      expected: ['video/1004', 'video/1006', 'video/1008'],
    },
    {
      name: 'start exactly on a boundary takes that segment, not the one before',
      segments: v(...every2(1000, 1020)),
      window: { start: 1006, end: 1010 },
      expected: ['video/1006', 'video/1008'],
    },
    {
      name: 'a segment starting exactly at end is excluded',
      segments: v(...every2(1000, 1020)),
      window: { start: 1006, end: 1010.001 },
      expected: ['video/1006', 'video/1008', 'video/1010'],
    },
    {
      name: 'pad extends both sides',
      segments: v(...every2(1000, 1020)),
      window: { start: 1006, end: 1010 },
      pad: 3,
      expected: ['video/1002', 'video/1004', 'video/1006', 'video/1008', 'video/1010', 'video/1012'],
    },
    {
      name: 'unsorted input comes out in epoch order, video before audio',
      segments: [...a(1004, 1002), ...v(1006, 1002, 1004)],
      window: { start: 1003, end: 1006 },
      expected: ['video/1002', 'video/1004', 'audio/1002', 'audio/1004'],
    },
    {
      name: 'a segment ending well before start is not "covering"',
      segments: v(1000, 1002, 1010, 1012),
      window: { start: 1007, end: 1012 },
      expected: ['video/1010'],
    },
    {
      name: 'window before every segment selects nothing',
      segments: v(1000, 1002),
      window: { start: 900, end: 1000 },
      expected: [],
    },
  ])('$name', ({ segments, window, pad, expected }) => {
    expect(keys(selectWindow(segments, window, pad === undefined ? {} : { pad }))).toEqual(expected);
  });

  it('reports a missing segment as a gap, per kind', () => {
    const selection = selectWindow([...v(1000, 1002, 1006, 1008), ...a(1000, 1002, 1004, 1006, 1008)], {
      start: 1001,
      end: 1009,
    });
    expect(selection.durations).toEqual({ video: 2, audio: 2 });
    expect(selection.gaps).toEqual([
      { kind: 'video', after: 'video/1002', before: 'video/1006', start: 1004, end: 1006, seconds: 2 },
    ]);
    expect(selection.overlaps).toEqual([]);
  });

  it('reports an early successor and a duplicate start as overlaps', () => {
    const segments = [
      ...v(1000, 1002, 1004),
      { kind: 'video', key: 'video/1004.dup', epoch: 1004, size: 1 } as const,
    ];
    segments.push(...v(1005.5, 1008));
    const selection = selectWindow(segments, { start: 1000, end: 1009 }, { segmentDuration: 2 });
    expect(selection.overlaps).toEqual([
      { kind: 'video', after: 'video/1004', before: 'video/1004.dup', start: 1004, end: 1006, seconds: 2 },
    ]);
    // 1005.5 starts 0.5 s early: within the default tolerance (1 s) and not an overlap.
    expect(selection.gaps).toEqual([]);
  });

  it('reports uncovered time at the edges of the window', () => {
    const selection = selectWindow(v(1004, 1006), { start: 1000, end: 1012 });
    expect(selection.gaps).toEqual([
      { kind: 'video', after: null, before: 'video/1004', start: 1000, end: 1004, seconds: 4 },
      { kind: 'video', after: 'video/1006', before: null, start: 1008, end: 1012, seconds: 4 },
    ]);
  });

  it('reports a kind with no segment in the window as one gap', () => {
    const selection = selectWindow([...v(1000, 1002, 1004), ...a(900, 902)], { start: 1000, end: 1006 });
    expect(selection.gaps).toEqual([
      { kind: 'audio', after: null, before: null, start: 1000, end: 1006, seconds: 6 },
    ]);
  });

  it('uses the median spacing as duration, so one gap does not skew it', () => {
    const selection = selectWindow(v(0, 2, 4, 6, 16, 18, 20), { start: 0, end: 22 });
    expect(selection.durations.video).toBe(2);
    expect(selection.gaps.map((g) => [g.start, g.end])).toEqual([[8, 16]]);
  });

  it('uses the given duration per kind and tolerance', () => {
    const selection = selectWindow(
      [...v(0, 3, 6), ...a(0, 3, 6)],
      { start: 0, end: 9 },
      {
        segmentDuration: { video: 2 },
        tolerance: 0.5,
      },
    );
    expect(selection.durations).toEqual({ video: 2, audio: 3 });
    expect(selection.gaps.map((g) => `${g.kind} ${g.start}-${g.end}`)).toEqual([
      'video 2-3',
      'video 5-6',
      'video 8-9',
    ]);
  });

  it('selects a window of a week of 2-s segments (more than a spread takes)', () => {
    const week = 7 * 86_400;
    const segments: Segment[] = Array.from({ length: week / 2 }, (_, i) => {
      const epoch = 1_700_000_000 + 2 * i;
      return { kind: 'video', key: `video/${epoch}`, epoch, size: 1 };
    });
    const selection = selectWindow(segments, { start: 1_700_000_000, end: 1_700_000_000 + week });
    expect(selection.segments).toHaveLength(week / 2);
    expect(selection.gaps).toEqual([]);
  });

  it('rejects an empty window and a negative pad', () => {
    expect(() => selectWindow([], { start: 10, end: 10 })).toThrow(
      new TypeError('Expected `window.end` to be a time after `window.start` (10), got `10` (number)'),
    );
    expect(() => selectWindow([], { start: 10, end: 20 }, { pad: -1 })).toThrow(
      new TypeError('Expected `pad` to be a finite number from 0 and up, got `-1` (number)'),
    );
    expect(() => selectWindow([], { start: Number.NaN, end: 20 })).toThrow(/`window.start`.*`NaN`/);
  });
});
