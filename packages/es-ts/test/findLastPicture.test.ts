import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeTestVideo, makeTempDir, runFfmpeg, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLastPicture } from '../src/bitstream/index.js';
import type { Codec } from '../src/index.js';
import { esPackets } from './helpers/truth.js';
import { splitAnnexB } from './ts/fixtures.js';

// The last picture of a segment, and a probe that a decoder reads alone: what a check for a
// segment cut inside its last slice hands to ffmpeg (@rec/mux checkLastPictures).

let tmp: TempDir;
const files: Record<string, string> = {};
const streams: Record<string, Uint8Array> = {};

beforeAll(async () => {
  tmp = await makeTempDir('es-ts-last-picture-');
  const encode = async (name: string, codec: Codec, options: Parameters<typeof encodeTestVideo>[1] = {}) => {
    const file = join(tmp.path, `${name}.${codec === 'hevc' ? 'h265' : 'h264'}`);
    await encodeTestVideo(file, { codec, seconds: 1, bframes: 3, format: codec, ...options });
    files[name] = file;
    streams[name] = new Uint8Array(await readFile(file));
  };
  await Promise.all([
    encode('h264', 'h264'),
    encode('h264-aud-headers', 'h264', { aud: true, repeatHeaders: true, gop: 10 }),
    encode('h264-slices', 'h264', { slices: 3 }),
    encode('hevc', 'hevc', { repeatHeaders: true }),
  ]);
});
afterAll(async () => {
  await tmp?.remove();
});

/**
 * Where ffmpeg's parser starts the last access unit of a stream: at its
 * first start code, which findLastPicture takes with the zero_byte of a
 * 4-byte start code (ffmpeg's HEVC parser leaves that byte out).
 */
async function expectLastUnitStart(offset: number, name: string, codec: Codec): Promise<void> {
  const units = await esPackets(files[name]!, codec);
  const pos = units.at(-1)!.pos;
  expect([pos, pos - 1]).toContain(offset);
  const stream = streams[name]!;
  const code = Buffer.from(stream.subarray(offset, offset + 4)).toString('hex');
  expect(code.startsWith('000001') || code === '00000001').toBe(true);
}

const nalTypes = (bytes: Uint8Array, codec: Codec) => splitAnnexB(bytes, codec).map((nal) => nal.type);

describe('findLastPicture', () => {
  it('H.264: the last access unit as ffmpeg splits it; the probe is the SPS and PPS, then that unit', async () => {
    const stream = streams.h264!;
    const last = findLastPicture(stream, 'h264')!;
    await expectLastUnitStart(last.offset, 'h264', 'h264');
    expect(last.bytes).toBe(stream.length - last.offset);
    expect(last.decodable).toBe(true);
    // SPS, PPS (from the stream's start), then the picture's SEI-less slice.
    expect(nalTypes(last.probe, 'h264')).toEqual([7, 8, 1]);
    expect(Buffer.from(last.probe.subarray(last.probe.length - last.bytes))).toEqual(
      Buffer.from(stream.subarray(last.offset)),
    );
    // The probe decodes alone, its one picture whole (only its missing references are mentioned).
    const probeFile = join(tmp.path, 'probe.h264');
    await writeFile(probeFile, last.probe);
    const log = await runFfmpeg(['-f', 'h264', '-i', probeFile, '-f', 'null', '-']);
    expect(log).toMatch(/frame=\s*1\b|Output file is empty/);
    expect(log).not.toMatch(/concealing|error while decoding/);
  });

  it('H.264 with AUDs and headers repeated: the unit starts at its AUD; identical parameter sets go in once', async () => {
    const stream = streams['h264-aud-headers']!;
    const last = findLastPicture(stream, 'h264')!;
    await expectLastUnitStart(last.offset, 'h264-aud-headers', 'h264');
    expect(nalTypes(stream.subarray(last.offset), 'h264')[0]).toBe(9);
    // Every GOP repeats the same SPS and PPS: the probe carries one of each, then the unit (AUD first).
    expect(nalTypes(last.probe, 'h264').slice(0, 3)).toEqual([7, 8, 9]);
    expect(last.decodable).toBe(true);
  });

  it('H.264 with 3 slices per picture: the unit holds all three', async () => {
    const stream = streams['h264-slices']!;
    const last = findLastPicture(stream, 'h264')!;
    await expectLastUnitStart(last.offset, 'h264-slices', 'h264');
    expect(nalTypes(stream.subarray(last.offset), 'h264')).toEqual([1, 1, 1]);
  });

  it('H.265: VPS, SPS and PPS, then the last unit', async () => {
    const stream = streams.hevc!;
    const last = findLastPicture(stream, 'hevc')!;
    await expectLastUnitStart(last.offset, 'hevc', 'hevc');
    expect(nalTypes(last.probe, 'hevc').slice(0, 3)).toEqual([32, 33, 34]);
    expect(last.decodable).toBe(true);
  });

  it('a stream cut inside its last slice: the offset is still that unit, the probe ends where the stream does', async () => {
    const stream = streams.h264!;
    const whole = findLastPicture(stream, 'h264')!;
    const cut = stream.subarray(0, stream.length - Math.floor(whole.bytes / 2));
    const last = findLastPicture(cut, 'h264')!;
    expect(last.offset).toBe(whole.offset);
    expect(last.bytes).toBe(whole.bytes - Math.floor(whole.bytes / 2));
  });

  it('without parameter sets (a segment relying on an earlier one) the probe is not decodable', () => {
    const stream = streams.h264!;
    const nals = splitAnnexB(stream, 'h264');
    const firstSlice = nals.find((nal) => nal.type === 5)!;
    const withoutSets = stream.subarray(firstSlice.bytes.byteOffset - stream.byteOffset - 3);
    const last = findLastPicture(withoutSets, 'h264')!;
    expect(last.decodable).toBe(false);
    expect(nalTypes(last.probe, 'h264')).toEqual([1]);
  });

  it('no picture at all: undefined', () => {
    expect(findLastPicture(new Uint8Array(0), 'h264')).toBeUndefined();
    expect(
      findLastPicture(new Uint8Array([0, 0, 1, 0x67, 0x42, 0, 0, 1, 0x68, 0xce]), 'h264'),
    ).toBeUndefined();
    expect(findLastPicture(new Uint8Array(1000).fill(0xff), 'hevc')).toBeUndefined();
  });
});
