import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ffmpegDecodeWarnings,
  makeTempDir,
  probeFrames,
  probePackets,
  type TempDir,
  testVideoEncoder,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EsMuxOutput, type EsSegment, EsWarningCode, muxSegments } from '../src/index.js';
import { makeTruth } from './helpers/truth.js';

let tmp: TempDir;
let segments: EsSegment[];
const ORIGIN = 1_700_000_000;
const BASE = 126_000;
const at = (seconds: number) => BASE + Math.round(seconds * 90_000);

beforeAll(async () => {
  tmp = await makeTempDir('es-ts-segments-');
  const x264 = (gop: number) => testVideoEncoder({ gop, bframes: 3 });
  const [a, b, c] = await Promise.all([
    makeTruth(tmp.path, 'a', { codec: 'h264', seconds: 2, encoder: x264(50) }),
    makeTruth(tmp.path, 'b', { codec: 'h264', seconds: 2, encoder: x264(50) }),
    // Keyframes every 0.4 s, so an overlap costs less than a whole segment.
    makeTruth(tmp.path, 'c', { codec: 'h264', seconds: 2, encoder: x264(10) }),
  ]);
  const cBytes = await readFile(c.es);
  segments = [
    // a: [0, 2) s; then a 2-s gap; b: [4, 6) s; c starts 0.5 s before b ends.
    { name: 'a.h264', startTime: ORIGIN, source: await readFile(a.es) },
    { name: 'b.h264', startTime: ORIGIN + 4, source: await readFile(b.es) },
    {
      name: 'c.h264',
      startTime: ORIGIN + 5.5,
      // A streaming source in odd-sized chunks.
      source: async function* () {
        for (let i = 0; i < cBytes.length; i += 777) yield cBytes.subarray(i, i + 777);
      },
    },
  ];
});
afterAll(async () => {
  await tmp?.remove();
});

async function writeOut(output: EsMuxOutput, file: string) {
  const parts: Uint8Array[] = [];
  for await (const p of output.packets) parts.push(p);
  await writeFile(file, Buffer.concat(parts));
  return output.result;
}

describe('muxSegments', () => {
  it('places each segment at its start time, keeps the gap, reports and resolves the overlap', async () => {
    const out = join(tmp.path, 'joined.ts');
    const progress: number[] = [];
    const result = await writeOut(
      muxSegments(segments, { origin: ORIGIN, onProgress: (p) => progress.push(p.transferred) }),
      out,
    );
    // c overlaps b by 0.5 s; its keyframes are at 5.5, 5.9, 6.3 s...: pictures are dropped (in decoding
    // order) up to the first keyframe presented at or after b's end (6 s), the one at 6.3 s.
    expect(result.overlaps).toEqual([
      { previous: 'b.h264', next: 'c.h264', seconds: 0.5, droppedFrames: 20 },
    ]);
    expect(result.warnings.map((w) => w.code)).toEqual([EsWarningCode.SegmentOverlap]);
    expect(result.segments.map((s) => [s.name, s.frames, s.firstPts])).toEqual([
      ['a.h264', 50, at(0)],
      ['b.h264', 50, at(4)],
      ['c.h264', 30, at(6.3)],
    ]);
    expect(result.frames).toBe(130);
    expect(result.presentationStart).toBe(ORIGIN);
    // The timeline the PTS are on, for whoever places more streams beside them.
    expect([result.origin, result.basePts]).toEqual([ORIGIN, BASE]);
    expect(result.firstPts).toBe(at(0));
    expect(result.lastPts).toBe(at(7.46));
    expect(progress.at(-1)).toBe(result.bytesIn);

    const frames = await probeFrames(out);
    const pts = frames.map((f) => f.pts!);
    expect(pts).toHaveLength(130);
    // a: 0..1.96 s, nothing in the gap, b: 4..5.96 s, c from 6.3 s, one frame apart within each.
    const expected = [
      ...Array.from({ length: 50 }, (_, i) => at(i * 0.04)),
      ...Array.from({ length: 50 }, (_, i) => at(4 + i * 0.04)),
      ...Array.from({ length: 30 }, (_, i) => at(6.3 + i * 0.04)),
    ];
    expect(pts).toEqual(expected);
    // Each segment's endPts: the end of its last picture as ffprobe times it (last PTS + 1/25 s).
    const frameTicks = 90_000 / 25;
    const lastOf = (from: number, to: number) => Math.max(...pts.filter((p) => p >= at(from) && p < at(to)));
    expect(result.segments.map((s) => s.endPts)).toEqual([
      lastOf(0, 2) + frameTicks,
      lastOf(4, 6) + frameTicks,
      lastOf(6, 8) + frameTicks,
    ]);
    expect(result.segments.map((s) => s.endPts)).toEqual([at(2), at(6), at(7.5)]);
    expect(await ffmpegDecodeWarnings(out)).toBe('');
    const packets = await probePackets(out, 'v:0');
    for (let i = 1; i < packets.length; i++) expect(packets[i]!.dts!).toBeGreaterThan(packets[i - 1]!.dts!);
  });

  it('keep: starts at the last keyframe at or before `start`, stops after the last picture before `end`', async () => {
    const out = join(tmp.path, 'window.ts');
    const result = await writeOut(
      muxSegments(segments, { origin: ORIGIN, keep: { start: ORIGIN + 6.5, end: ORIGIN + 7 } }),
      out,
    );
    // c's keyframes are at 5.5, 5.9, 6.3, 6.7 s on the timeline: 6.5 s falls in the GOP of 6.3 s.
    expect(result.firstPts).toBe(at(6.3));
    const pts = (await probeFrames(out)).map((f) => f.pts!);
    const before = pts.filter((p) => p < at(7));
    expect(before).toEqual(Array.from({ length: 18 }, (_, i) => at(6.3 + i * 0.04)));
    // Pictures presented at/after `end` are kept only when decoding order needs them.
    expect(pts.length - before.length).toBeLessThanOrEqual(2);
    expect(await ffmpegDecodeWarnings(out)).toBe('');
  });

  it('keep inside one GOP: from its keyframe, and no picture after `end` that nothing before it needs', async () => {
    const out = join(tmp.path, 'inside-gop.ts');
    // a is one 2-s GOP (keyframe at 0 s only): everything from 0 s up to `end` (1 s), not the rest of the GOP.
    const result = await writeOut(
      muxSegments([segments[0]!], { origin: ORIGIN, keep: { start: ORIGIN + 0.5, end: ORIGIN + 1 } }),
      out,
    );
    const pts = (await probeFrames(out)).map((f) => f.pts!).sort((a, b) => a - b);
    const before = pts.filter((p) => p < at(1));
    expect(before).toEqual(Array.from({ length: 25 }, (_, i) => at(i * 0.04)));
    expect(pts.length - before.length).toBeLessThanOrEqual(3);
    expect(result.frames).toBe(pts.length);
    expect(await ffmpegDecodeWarnings(out)).toBe('');
  });

  it('keep across segments: pictures are counted for the segment they come from, the gap stays', async () => {
    const out = join(tmp.path, 'window2.ts');
    const result = await writeOut(
      muxSegments(segments.slice(0, 2), { origin: ORIGIN, keep: { start: ORIGIN + 1, end: ORIGIN + 5 } }),
      out,
    );
    // a's only keyframe (0 s) is the last one at or before 1 s: all of a is kept.
    expect(result.segments.map((s) => [s.name, s.firstPts])).toEqual([
      ['a.h264', at(0)],
      ['b.h264', at(4)],
    ]);
    expect(result.segments[0]!.frames).toBe(50);
    const pts = (await probeFrames(out)).map((f) => f.pts!);
    expect(pts.filter((p) => p > at(1.96) && p < at(4))).toEqual([]);
    expect(pts.filter((p) => p >= at(4) && p < at(5))).toHaveLength(25);
    expect(result.segments[1]!.frames).toBe(pts.length - 50);
  });

  it('an empty segment is skipped with a warning; its time stays a gap', async () => {
    const empty: EsSegment = { name: 'empty.h264', startTime: ORIGIN + 2, source: new Uint8Array(0) };
    const result = await writeOut(
      muxSegments([segments[0]!, empty, segments[1]!], { origin: ORIGIN }),
      join(tmp.path, 'empty.ts'),
    );
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: EsWarningCode.EmptySegment, count: 1 }),
    ]);
    expect(result.segments.map((s) => [s.name, s.frames])).toEqual([
      ['a.h264', 50],
      ['empty.h264', 0],
      ['b.h264', 50],
    ]);
  });

  it('a segment that ends in garbage fails with EsParseError naming it', async () => {
    const bad: EsSegment = {
      name: 'garbage.h264',
      startTime: ORIGIN,
      source: new Uint8Array(100_000).fill(7),
    };
    const output = muxSegments([bad], { origin: ORIGIN });
    await expect(writeOut(output, join(tmp.path, 'bad.ts'))).rejects.toMatchObject({
      name: 'EsParseError',
      code: 'ES_INVALID_STREAM',
      source: 'garbage.h264',
      offset: 0,
    });
  });

  it('aborts with signal.reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const output = muxSegments(segments, {
      origin: ORIGIN,
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    });
    await expect(writeOut(output, join(tmp.path, 'aborted.ts'))).rejects.toBe(reason);
  });
});
