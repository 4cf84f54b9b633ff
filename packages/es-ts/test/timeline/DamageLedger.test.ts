import { WarningLog } from '@rec/core';
import { describe, expect, it } from 'vitest';
import { EsWarningCode } from '../../src/index.js';
import { DamageLedger, type SegmentDamage } from '../../src/timeline/DamageLedger.js';

// What a damaged segment costs on the timeline, case by case (the EsDamage rules), in timeline
// seconds from ORIGIN; PTS are BASE at ORIGIN, 25 fps.
const ORIGIN = 1_700_000_000;
const BASE = 126_000;
const pts = (seconds: number) => BASE + Math.round(seconds * 90_000);
const NONE = Number.NEGATIVE_INFINITY;

interface Case {
  name: string;
  /** Seconds. */
  keep?: [number, number];
  damage: Partial<SegmentDamage> & { reason: SegmentDamage['reason'] };
  /** The next segment's start, in seconds (undefined: it was the last). */
  next: number | undefined;
  /** [start, end) in seconds from ORIGIN. */
  lost: [number, number];
}

const cases: Case[] = [
  {
    name: 'a skipped segment: from its start to the next one',
    damage: { reason: 'undecodable', startPts: pts(2) },
    next: 4,
    lost: [2, 4],
  },
  {
    name: 'a skipped segment whose start the earlier ones still cover: from where they end',
    damage: { reason: 'empty', startPts: pts(2), coveredUntil: pts(2.5) },
    next: 4,
    lost: [2.5, 4],
  },
  {
    name: 'a cut segment: from the end of its pictures to the next one',
    damage: { reason: 'truncated', startPts: pts(0), segmentEnd: pts(1.2), pictures: 1 },
    next: 2,
    lost: [1.2, 2],
  },
  {
    name: 'a cut segment that gave no picture: from its start',
    damage: { reason: 'invalid', startPts: pts(3), coveredUntil: pts(2) },
    next: 5,
    lost: [3, 5],
  },
  {
    name: 'the last segment, with a window: to keep.end',
    keep: [0, 5.5],
    damage: { reason: 'truncated', startPts: pts(4), segmentEnd: pts(4.8), pictures: 1 },
    next: undefined,
    lost: [4.8, 5.5],
  },
  {
    name: 'the last segment, without a window: the pictures known to be lost',
    damage: { reason: 'truncated', startPts: pts(4), segmentEnd: pts(4.8), pictures: 2 },
    next: undefined,
    lost: [4.8, 4.88],
  },
  {
    name: 'the last segment skipped, without a window: nothing known',
    damage: { reason: 'undecodable', startPts: pts(4), frameDuration: 0 },
    next: undefined,
    lost: [4, 4],
  },
  {
    name: 'pictures past keep.end: nothing of the window lost',
    keep: [0, 5.5],
    damage: { reason: 'truncated', startPts: pts(4), segmentEnd: pts(5.6), pictures: 1 },
    next: undefined,
    lost: [5.5, 5.5],
  },
  {
    name: 'before keep.start: clipped to it',
    keep: [1, 10],
    damage: { reason: 'empty', startPts: pts(0) },
    next: 2,
    lost: [1, 2],
  },
  {
    name: 'wholly before keep.start: empty',
    keep: [3, 10],
    damage: { reason: 'undecodable', startPts: pts(0) },
    next: 2,
    lost: [3, 3],
  },
  {
    name: 'the next segment starts before the loss would: empty',
    damage: { reason: 'truncated', startPts: pts(0), segmentEnd: pts(1.96), pictures: 1 },
    next: 1.5,
    lost: [1.96, 1.96],
  },
];

function ledger(keep?: [number, number]) {
  const warnings = new WarningLog<EsWarningCode>();
  const damages = new DamageLedger({
    keep: keep && { start: pts(keep[0]), end: pts(keep[1]) },
    toSeconds: (p) => ORIGIN + (p - BASE) / 90_000,
    warnings,
  });
  return { damages, warnings };
}

const damage = (d: Case['damage']): SegmentDamage => ({
  source: 'seg.h264',
  offset: 0,
  foundAt: 0,
  pictures: 0,
  detail: 'what was found',
  coveredUntil: NONE,
  segmentEnd: NONE,
  frameDuration: 3600,
  startPts: 0,
  ...d,
});

describe('DamageLedger', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { damages } = ledger(c.keep);
      damages.record(damage(c.damage));
      expect(damages.list).toEqual([]); // settled only once the next start (or the end) is known
      damages.settle(c.next === undefined ? undefined : pts(c.next));
      const [entry] = damages.list;
      expect([entry!.start - ORIGIN, entry!.end - ORIGIN].map((s) => Math.round(s * 1e6) / 1e6)).toEqual(
        c.lost,
      );
    });
  }

  it('messages and warnings: one per code, naming the segment, the byte and the time lost', () => {
    const { damages, warnings } = ledger();
    damages.record(damage({ reason: 'empty', source: 'a', startPts: pts(0) }));
    damages.record(
      damage({ reason: 'undecodable', source: 'b', startPts: pts(2), foundAt: 2393, detail: 'PPS bad' }),
    );
    damages.record(
      damage({
        reason: 'truncated',
        source: 'c',
        startPts: pts(4),
        segmentEnd: pts(5),
        offset: 1234,
        pictures: 1,
        detail: 'the input ends inside a slice header',
      }),
    );
    damages.record(
      damage({
        reason: 'truncated',
        source: 'd',
        startPts: pts(6),
        segmentEnd: pts(7),
        offset: 99,
        detail: 'the input ends inside an SPS',
      }),
    );
    damages.record(
      damage({
        reason: 'invalid',
        source: 'e',
        startPts: pts(8),
        segmentEnd: pts(9),
        offset: 77,
        detail: 'SPS x: bad',
      }),
    );
    damages.settle(pts(10));
    expect(damages.list.map((d) => [d.source, d.reason, d.message])).toEqual([
      ['a', 'empty', 'a is empty (0 bytes); skipped: 2.000 s lost (1700000000.000 to 1700000002.000)'],
      [
        'b',
        'undecodable',
        'b at byte 2393: PPS bad; skipped: 2.000 s lost (1700000002.000 to 1700000004.000)',
      ],
      [
        'c',
        'truncated',
        'c at byte 1234: the input ends inside a slice header; cut there (1 picture dropped): 1.000 s lost (1700000005.000 to 1700000006.000)',
      ],
      [
        'd',
        'truncated',
        'd at byte 99: the input ends inside an SPS; cut there: 1.000 s lost (1700000007.000 to 1700000008.000)',
      ],
      [
        'e',
        'invalid',
        'e at byte 77: SPS x: bad; cut there (the rest of the segment unused): 1.000 s lost (1700000009.000 to 1700000010.000)',
      ],
    ]);
    expect(warnings.list().map((w) => [w.code, w.count, w.source])).toEqual([
      [EsWarningCode.EmptySegment, 1, 'a'],
      [EsWarningCode.SegmentSkipped, 1, 'b'],
      [EsWarningCode.SegmentCut, 3, 'c'],
    ]);
  });
});
