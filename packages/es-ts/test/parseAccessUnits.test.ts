import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecWarning } from '@rec/core';
import { makeTempDir, probePackets, type TempDir, testVideoEncoder } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessUnit, EsParseError, parseAccessUnits } from '../src/index.js';
import { DEFAULT_SCENECUT, MIN_KEYINT_AUTO } from './helpers/encoderDefaults.js';
import { makeTruth, muxFile } from './helpers/truth.js';

let tmp: TempDir;
let es: Uint8Array;
let truthTs: string;

beforeAll(async () => {
  tmp = await makeTempDir('es-ts-parse-');
  // 29.97 fps: VUI num_units_in_tick 1001, time_scale 60000 -> 3003 ticks per frame.
  const made = await makeTruth(tmp.path, 'ntsc', {
    codec: 'h264',
    seconds: 2,
    fps: '30000/1001',
    encoder: testVideoEncoder({ fps: '30000/1001', bframes: 2, params: [MIN_KEYINT_AUTO, DEFAULT_SCENECUT] }),
  });
  es = await readFile(made.es);
  truthTs = made.ts;
});
afterAll(async () => {
  await tmp?.remove();
});

async function collect(chunks: Iterable<Uint8Array>, startPts?: number) {
  const aus: AccessUnit[] = [];
  const warnings: RecWarning[] = [];
  for await (const au of parseAccessUnits(chunks, {
    codec: 'h264',
    onWarning: (w) => warnings.push(w),
    startPts,
  })) {
    aus.push(au);
  }
  return { aus, warnings };
}

describe('parseAccessUnits', () => {
  it('yields access units in decoding order with PTS from POC and DTS at 29.97 fps', async () => {
    const { aus, warnings } = await collect([es], 900_000);
    expect(warnings).toEqual([]);
    const truth = await probePackets(truthTs, 'v:0');
    expect(aus).toHaveLength(truth.length);
    const offset = truth[0]!.dts! - aus[0]!.dts;
    expect(aus.map((a) => [a.pts + offset, a.dts + offset])).toEqual(truth.map((p) => [p.pts, p.dts]));
    expect(Math.min(...aus.map((a) => a.pts))).toBe(900_000);
    expect(aus[0]!.duration).toBe(3003);
    expect(aus.map((a) => a.keyframe)).toEqual(truth.map((p) => p.flags.startsWith('K')));
    // The first access unit carries SPS, PPS, SEI and the IDR slice, as the bytes have them.
    expect(aus[0]!.nals.map((n) => n.type)).toEqual([7, 8, 6, 5]);
    expect(aus[0]!.byteOffset).toBe(0);
    // Every NAL comes back whole: the input is the NALs with a 3- or 4-byte start code each.
    const nals = aus.flatMap((a) => a.nals);
    const payload = nals.reduce((sum, n) => sum + n.bytes.length, 0);
    expect(es.length).toBeGreaterThanOrEqual(payload + 3 * nals.length);
    expect(es.length).toBeLessThanOrEqual(payload + 4 * nals.length);
  });

  it('a 29.97 fps TS of ours decodes with frames 3003 ticks apart', async () => {
    const out = join(tmp.path, 'ntsc.ours.ts');
    const result = await muxFile(es, out);
    expect(result.frameDuration).toBe(3003);
    const packets = await probePackets(out, 'v:0');
    const pts = packets.map((p) => p.pts!).sort((a, b) => a - b);
    expect(pts).toEqual(Array.from({ length: 60 }, (_, i) => 126_000 + i * 3003));
  });

  it('rejects a stream whose SPS cannot be parsed, naming the byte offset', async () => {
    // 16 bytes of something, then a start code and an SPS header (0x67) with a truncated body.
    const bytes = Uint8Array.of(0, 0, 0, 1, 0x09, 0xf0, 0, 0, 0, 1, 0x67, 0x64, 0x00);
    const error = await collect([bytes, es.subarray(0, 2000)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EsParseError);
    // The SPS starts at byte 10; its trailing 00 is trailing_zero_8bits, so constraint flags (byte 12) are missing.
    expect(error).toMatchObject({ code: 'ES_INVALID_SYNTAX', offset: 12 });
  });

  it('rejects bytes that are not an elementary stream', async () => {
    await expect(collect([new Uint8Array(80_000).fill(0x42)])).rejects.toMatchObject({
      name: 'EsParseError',
      code: 'ES_INVALID_STREAM',
    });
  });
});
