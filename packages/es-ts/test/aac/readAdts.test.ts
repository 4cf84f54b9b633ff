import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecWarning } from '@rec/core';
import {
  encodeTestAudio,
  ffmpegDecodeWarnings,
  makeTempDir,
  probe,
  probePackets,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdtsFrame, AdtsReader } from '../../src/aac/AdtsReader.js';
import { readAdts } from '../../src/aac/readAdts.js';
import { EsParseError } from '../../src/EsParseError.js';
import { EsWarningCode } from '../../src/EsWarningCode.js';
import { readTs } from '../../src/ts/readTs.js';
import { TsWriter } from '../../src/ts/TsWriter.js';
import { concat, makeVideoFixture, type VideoFixture } from '../ts/fixtures.js';

let tmp: TempDir;
let aac48: Uint8Array;
let aac44: Uint8Array;
let video: VideoFixture;

async function encodeAdts(name: string, sampleRate: number): Promise<string> {
  return encodeTestAudio(join(tmp.path, name), {
    sampleRate,
    codec: 'aac',
    format: 'adts',
    outputArgs: ['-b:a', '64k'],
  });
}

async function collect(source: Parameters<typeof readAdts>[0], options: Parameters<typeof readAdts>[1] = {}) {
  const frames: AdtsFrame[] = [];
  for await (const frame of readAdts(source, options)) frames.push(frame);
  return frames;
}

beforeAll(async () => {
  tmp = await makeTempDir('rec-es-ts-adts-');
  const [f48, f44, v] = await Promise.all([
    encodeAdts('a48.aac', 48_000),
    encodeAdts('a44.aac', 44_100),
    makeVideoFixture(tmp.path, 'h264'),
  ]);
  aac48 = new Uint8Array(await readFile(f48));
  aac44 = new Uint8Array(await readFile(f44));
  video = v;
});
afterAll(async () => {
  await tmp?.remove();
});

describe('readAdts', () => {
  it.each([
    ['a48.aac', 48_000],
    ['a44.aac', 44_100],
  ])('finds every frame of %s with the PTS ffprobe gives, without drift', async (name, rate) => {
    const bytes = rate === 48_000 ? aac48 : aac44;
    const truth = await probePackets(join(tmp.path, name), 'a:0');
    const frames = await collect(bytes, { startPts: 0 });
    expect(frames).toHaveLength(truth.length);
    expect(frames.map((f) => f.bytes.length)).toEqual(truth.map((p) => Number(p.size)));
    const first = Number(truth[0]!.pts_time);
    for (const [i, frame] of frames.entries()) {
      expect(frame.pts).toBe(Math.round((i * 1024 * 90_000) / rate));
      expect(
        Math.abs(frame.pts - Math.round((Number(truth[i]!.pts_time) - first) * 90_000)),
      ).toBeLessThanOrEqual(1);
      expect(frame.header).toMatchObject({ sampleRate: rate, channelConfiguration: 1, audioObjectType: 2 });
    }
    // The iterator's return value is the summary.
    const it = readAdts(bytes, { startPts: 1000 });
    let r = await it.next();
    while (!r.done) r = await it.next();
    expect(r.value).toMatchObject({
      frames: truth.length,
      samples: truth.length * 1024,
      sampleRate: rate,
      skippedBytes: 0,
    });
    expect(r.value.endPts).toBe(1000 + Math.round((truth.length * 1024 * 90_000) / rate));
  });

  it('gives the same frames for any chunking', async () => {
    const whole = await collect(aac48);
    for (const size of [1, 5, 100, 4096]) {
      async function* chunks() {
        for (let i = 0; i < aac48.length; i += size) yield aac48.slice(i, i + size);
      }
      const frames = await collect(chunks());
      expect(frames.map((f) => [f.pts, f.offset, f.bytes.length])).toEqual(
        whole.map((f) => [f.pts, f.offset, f.bytes.length]),
      );
      expect(concat(frames.map((f) => f.bytes))).toEqual(aac48);
    }
  });

  it('skips garbage (including a fake syncword) with one warning per kind', async () => {
    const whole = await collect(aac48);
    const junk = Uint8Array.of(0xff, 0xf1, 0x00, 0x12, 0x34, 0xff, 0xf9, 0x99);
    const cut = whole[10]!.offset;
    const damaged = concat([junk, aac48.subarray(0, cut), junk, aac48.subarray(cut), junk.subarray(0, 3)]);
    const warnings: RecWarning[] = [];
    const frames = await collect(damaged, { onWarning: (w) => warnings.push(w) });
    expect(frames.map((f) => f.bytes)).toEqual(whole.map((f) => f.bytes));
    expect(frames.map((f) => f.pts)).toEqual(whole.map((f) => f.pts));
    expect(warnings.find((w) => w.code === EsWarningCode.AdtsGarbage)?.count).toBe(2);
    const reader = new AdtsReader();
    reader.push(damaged);
    reader.finish();
    expect(reader.summary.skippedBytes).toBe(junk.length * 2 + 3);
  });

  it('throws EsParseError when there is no ADTS frame at all', async () => {
    await expect(collect(new Uint8Array(5000).fill(0x42), { source: 'x.aac' })).rejects.toThrow(EsParseError);
    await expect(collect(new Uint8Array(0))).rejects.toMatchObject({ code: 'ES_INVALID_STREAM' });
  });
});

describe('TsWriter with audio', () => {
  it('muxes H.264 and AAC into one TS: two streams, exact timestamps, clean decode', async () => {
    const writer = new TsWriter({ codec: 'h264', audio: true });
    const start = video.aus[0]!.pts;
    const frames = await collect(aac48, { startPts: start });
    // Interleave by decode time.
    const units = [
      ...video.aus.map((au) => ({ t: au.dts, write: () => writer.writeVideo(au) })),
      ...frames.map((f) => ({ t: f.pts, write: () => writer.writeAudio(f) })),
    ].sort((a, b) => a.t - b.t);
    const file = join(tmp.path, 'av.ts');
    await writeFile(file, concat(units.map((u) => u.write())));

    const { streams } = await probe(file);
    expect(streams.map((s) => [s.codec_type, s.codec_name])).toEqual([
      ['video', 'h264'],
      ['audio', 'aac'],
    ]);
    expect(streams[1]).toMatchObject({ sample_rate: '48000', channels: 1 });
    const audio = await probePackets(file, 'a:0');
    expect(audio.map((p) => p.pts)).toEqual(frames.map((f) => f.pts));
    const v = await probePackets(file, 'v:0');
    expect(v.map((p) => [p.pts, p.dts])).toEqual(video.aus.map((au) => [au.pts, au.dts]));
    expect(await ffmpegDecodeWarnings(file)).toBe('');

    const read = await readTs(new Uint8Array(await readFile(file)));
    expect(read.streams).toEqual([
      { pid: 0x100, streamType: 0x1b, programNumber: 1 },
      { pid: 0x101, streamType: 0x0f, programNumber: 1 },
    ]);
    expect(read.continuityErrorCount).toBe(0);
    const audioPes = read.pes.filter((p) => p.pid === 0x101);
    expect(audioPes.map((p) => [p.streamId, p.pesPacketLength, p.size])).toEqual(
      frames.map((f) => [0xc0, 8 + f.bytes.length, f.bytes.length]),
    );
    expect(read.pcrs.every((p) => p.pid === 0x100)).toBe(true);
  });

  it('writes an audio-only TS with the PCR on the audio PID', async () => {
    const writer = new TsWriter({ codec: 'h264', video: false, audio: true });
    const frames = await collect(aac44, { startPts: 90_000 });
    const file = join(tmp.path, 'a.ts');
    await writeFile(file, concat(frames.map((f) => writer.writeAudio(f))));
    const read = await readTs(new Uint8Array(await readFile(file)));
    expect(read.programs).toEqual([{ programNumber: 1, pmtPid: 0x1000, pcrPid: 0x101 }]);
    expect(read.streams).toEqual([{ pid: 0x101, streamType: 0x0f, programNumber: 1 }]);
    expect(read.pcrs.map((p) => p.base)).toEqual(frames.map((f) => f.pts - 9000));
    const pats = read.sections
      .filter((s) => s.tableId === 0)
      .map((s) => read.pcrs.find((p) => p.packetIndex > s.packetIndex)!.base);
    for (let i = 1; i < pats.length; i++) expect(pats[i]! - pats[i - 1]!).toBeLessThanOrEqual(9000);
    const packets = await probePackets(file, 'a:0');
    expect(packets.map((p) => p.pts)).toEqual(frames.map((f) => f.pts));
    expect(await ffmpegDecodeWarnings(file)).toBe('');
  });
});
