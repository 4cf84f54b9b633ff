import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpegDecodeWarnings, makeTempDir, probe, probePackets, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTs } from '../../src/ts/readTs.js';
import type { TsReadResult } from '../../src/ts/TsReader.js';
import { TsWriter } from '../../src/ts/TsWriter.js';
import type { AccessUnit, NalUnit } from '../../src/types.js';
import { annexB, audType, concat, makeVideoFixture, type VideoFixture } from './fixtures.js';

let tmp: TempDir;
let h264: VideoFixture;
let hevc: VideoFixture;

beforeAll(async () => {
  tmp = await makeTempDir('rec-es-ts-writer-');
  [h264, hevc] = await Promise.all([makeVideoFixture(tmp.path, 'h264'), makeVideoFixture(tmp.path, 'hevc')]);
});
afterAll(async () => {
  await tmp?.remove();
});

async function writeTs(name: string, aus: readonly AccessUnit[], writer: TsWriter): Promise<string> {
  const file = join(tmp.path, name);
  await writeFile(file, concat(aus.map((au) => writer.writeVideo(au))));
  return file;
}

/** Checks the timing rules of ISO/IEC 13818-1 2.7.2 / 2.7.4 as the writer promises them. */
function expectRepetition(read: TsReadResult, pesPid: number): void {
  const pcrs = read.pcrs.filter((p) => p.pid === pesPid);
  for (let i = 1; i < pcrs.length; i++) {
    expect(pcrs[i]!.base - pcrs[i - 1]!.base).toBeGreaterThan(0);
    expect(pcrs[i]!.base - pcrs[i - 1]!.base).toBeLessThanOrEqual(9000);
  }
  // The stream time of a PAT is the PCR that follows it.
  const pats = read.sections.filter((s) => s.tableId === 0);
  const times = pats.map((s) => pcrs.find((p) => p.packetIndex > s.packetIndex)?.base);
  for (let i = 1; i < times.length; i++) {
    if (times[i] === undefined) continue;
    expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(9000);
  }
  // PAT and PMT right before every keyframe.
  for (const pes of read.pes.filter((p) => p.randomAccess && p.pid === pesPid)) {
    const before = read.sections.filter(
      (s) => s.packetIndex === pes.packetIndex - 2 || s.packetIndex === pes.packetIndex - 1,
    );
    expect(before.map((s) => s.tableId)).toEqual([0x00, 0x02]);
  }
}

describe('TsWriter with real H.264 (B-frames)', () => {
  it('writes every access unit with the exact PTS/DTS it was given; ffprobe and the decoder agree', async () => {
    const file = await writeTs('h264.ts', h264.aus, new TsWriter({ codec: 'h264' }));
    const packets = await probePackets(file, 'v:0');
    expect(packets.map((p) => [p.pts, p.dts])).toEqual(h264.aus.map((au) => [au.pts, au.dts]));
    expect(packets.map((p) => p.flags.includes('K'))).toEqual(h264.aus.map((au) => au.keyframe));
    expect(h264.aus.some((au) => au.pts !== au.dts)).toBe(true); // B-frames: PTS_DTS_flags '11' is exercised
    expect(await ffmpegDecodeWarnings(file)).toBe('');
    const { streams } = await probe(file, { countFrames: true });
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatchObject({ codec_name: 'h264', width: 160, height: 90, nb_read_frames: '50' });
  });

  it('is read back whole: PSI, PES payloads, random access, counters, PCR and PAT/PMT spacing', async () => {
    const writer = new TsWriter({ codec: 'h264' });
    const bytes = concat(h264.aus.map((au) => writer.writeVideo(au)));
    expect(bytes.length % 188).toBe(0);
    const read = await readTs(bytes, { keepPayload: true });
    expect(read.programs).toEqual([{ programNumber: 1, pmtPid: 0x1000, pcrPid: 0x100 }]);
    expect(read.streams).toEqual([{ pid: 0x100, streamType: 0x1b, programNumber: 1 }]);
    expect(read.continuityErrorCount).toBe(0);
    expect(read.syncLosses).toEqual([]);
    expect(read.warnings).toEqual([]);
    expect(read.sections.every((s) => s.crcValid)).toBe(true);
    expect(read.pes).toHaveLength(h264.aus.length);
    for (const [i, pes] of read.pes.entries()) {
      const au = h264.aus[i]!;
      expect([pes.streamId, pes.pesPacketLength, pes.pts, pes.dts]).toEqual([0xe0, 0, au.pts, au.dts]);
      expect(pes.randomAccess).toBe(au.keyframe);
      // The payload is exactly the access unit: no padding bytes (stuffing lives in adaptation fields).
      expect(pes.payload).toEqual(annexB(au.nals, 'h264'));
    }
    // PCR = DTS - 100 ms on every access unit, carried on the video PID.
    expect(read.pcrs.map((p) => [p.pid, p.base, p.pcr % 300])).toEqual(
      h264.aus.map((au) => [0x100, au.dts - 9000, 0]),
    );
    expectRepetition(read, 0x100);
  });

  it('adds missing AUDs and repeats the last SPS/PPS before keyframes that lack them', async () => {
    // x264 without repeat-headers: SPS/PPS only in the first AU; drop every AUD as well.
    const stripped = h264.aus.map((au, i) => ({
      ...au,
      nals: au.nals.filter((n) => n.type !== 9 && (i === 0 || (n.type !== 7 && n.type !== 8))),
    }));
    const sps = h264.aus[0]!.nals.filter((n) => n.type === 7);
    const pps = h264.aus[0]!.nals.filter((n) => n.type === 8);
    expect(sps).toHaveLength(1);
    const file = await writeTs('h264-stripped.ts', stripped, new TsWriter({ codec: 'h264' }));
    const read = await readTs(
      new Uint8Array(await import('node:fs/promises').then((fs) => fs.readFile(file))),
      {
        keepPayload: true,
      },
    );
    const aud: NalUnit = { type: 9, bytes: Uint8Array.of(0x09, 0xf0) };
    for (const [i, pes] of read.pes.entries()) {
      const au = stripped[i]!;
      const expected = au.keyframe && i > 0 ? [aud, ...sps, ...pps, ...au.nals] : [aud, ...au.nals];
      expect(pes.payload).toEqual(annexB(expected, 'h264'));
    }
    expect(stripped.filter((au) => au.keyframe).length).toBe(2);
    expect(await ffmpegDecodeWarnings(file)).toBe('');
    const packets = await probePackets(file, 'v:0');
    expect(packets.map((p) => p.pts)).toEqual(h264.aus.map((au) => au.pts));
  });

  it('carries 33-bit timestamps across the 2^33 wrap', async () => {
    const shift = 2 ** 33 - 90_000; // one second before the wrap
    const shifted = h264.aus.map((au) => ({ ...au, pts: au.pts + shift, dts: au.dts + shift }));
    const file = await writeTs('h264-wrap.ts', shifted, new TsWriter({ codec: 'h264' }));
    const read = await readTs(
      new Uint8Array(await import('node:fs/promises').then((fs) => fs.readFile(file))),
    );
    expect(read.pes.map((p) => [p.pts, p.dts])).toEqual(
      shifted.map((au) => [au.pts % 2 ** 33, au.dts % 2 ** 33]),
    );
    expect(read.pes.some((p) => p.dts! < 90_000)).toBe(true);
    expect(read.continuityErrorCount).toBe(0);
    expect(await ffmpegDecodeWarnings(file)).toBe('');
  });

  it('bridges a 2 s gap in the timeline with PCR-only packets (PCR and PAT never more than 100 ms apart)', async () => {
    const gapped = h264.aus.map((au) =>
      au.dts >= h264.aus[25]!.dts ? { ...au, pts: au.pts + 180_000, dts: au.dts + 180_000 } : au,
    );
    const file = await writeTs('h264-gap.ts', gapped, new TsWriter({ codec: 'h264' }));
    const read = await readTs(
      new Uint8Array(await import('node:fs/promises').then((fs) => fs.readFile(file))),
    );
    expect(read.pcrs.length).toBeGreaterThan(gapped.length + 19);
    expect(read.pcrs.every((p) => !p.discontinuity)).toBe(true);
    expectRepetition(read, 0x100);
    expect(read.continuityErrorCount).toBe(0);
    const packets = await probePackets(file, 'v:0');
    expect(packets.map((p) => p.dts)).toEqual(gapped.map((au) => au.dts));
    expect(await ffmpegDecodeWarnings(file)).toBe('');
  });

  it('rejects bad options and an access unit of the other codec with a TypeError', () => {
    const writer = new TsWriter({ codec: 'hevc' });
    expect(() => writer.writeVideo(h264.aus[0]!)).toThrow(
      new TypeError('Expected `au.codec` to be `hevc`, got `"h264"` (string)'),
    );
    expect(() => new TsWriter({ codec: 'h264', video: false })).toThrow(
      new TypeError('Expected `audio` to be true when `video` is false, got `false` (boolean)'),
    );
    expect(() => new TsWriter({ codec: 'vp9' as 'h264' })).toThrow(
      new TypeError('Expected `codec` to be one of `h264`, `hevc`, got `"vp9"` (string)'),
    );
    expect(() => new TsWriter({ codec: 'h264', videoPid: 0x1fff })).toThrow(
      new TypeError('Expected `videoPid` to be an integer from 16 to 8190, got `8191` (number)'),
    );
    expect(() => new TsWriter({ codec: 'h264', audio: true, audioPid: 0x100 })).toThrow(
      new TypeError('Expected `audioPid` to be a PID other than `videoPid` (256), got `256` (number)'),
    );
  });
});

describe('TsWriter with real HEVC', () => {
  it('writes stream_type 0x24 and exact timestamps; ffprobe decodes it cleanly', async () => {
    const stripped = hevc.aus.map((au) => ({
      ...au,
      nals: au.nals.filter((n) => n.type !== audType('hevc')),
    }));
    const file = await writeTs('hevc.ts', stripped, new TsWriter({ codec: 'hevc' }));
    const packets = await probePackets(file, 'v:0');
    expect(packets.map((p) => [p.pts, p.dts])).toEqual(hevc.aus.map((au) => [au.pts, au.dts]));
    expect(await ffmpegDecodeWarnings(file)).toBe('');
    const { streams } = await probe(file, { countFrames: true });
    expect(streams[0]).toMatchObject({ codec_name: 'hevc', width: 160, height: 90, nb_read_frames: '50' });
    const read = await readTs(
      new Uint8Array(await import('node:fs/promises').then((fs) => fs.readFile(file))),
      {
        keepPayload: true,
      },
    );
    expect(read.streams).toEqual([{ pid: 0x100, streamType: 0x24, programNumber: 1 }]);
    const aud: NalUnit = { type: 35, bytes: Uint8Array.of(0x46, 0x01, 0x50) };
    expect(read.pes.map((p) => p.payload)).toEqual(stripped.map((au) => annexB([aud, ...au.nals], 'hevc')));
    expectRepetition(read, 0x100);
  });
});
