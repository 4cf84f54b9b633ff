/**
 * The default mode (every field we decode) on files ffmpeg makes, its
 * values checked against what ffprobe says about the same files: sizes,
 * sample counts, timescales, durations, codec profiles and levels, the
 * Opus header, colour and aspect ratio boxes Bento4 leaves undecoded.
 */
import { join } from 'node:path';
import { encodeTestAudio, encodeTestVideo, ffprobeJson, makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpFile } from './helpers/fixtures.js';
import { findJsonBox, type JsonBox } from './helpers/jsonBoxes.js';

interface Stream {
  codec_name: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
  nb_frames: string;
  time_base: string;
  duration_ts: number;
  sample_aspect_ratio?: string;
  color_primaries?: string;
  extradata?: string;
}

let temp: TempDir;
const file = (name: string) => join(temp.path, name);
beforeAll(async () => {
  temp = await makeTempDir('mp4dump-default-');
  // One second: a single GOP. Three B-frames, the default of both encoders' presets.
  const video = { seconds: 1, bframes: 3 } as const;
  await Promise.all([
    encodeTestVideo(file('hevc.mp4'), { ...video, codec: 'hevc', outputArgs: ['-tag:v', 'hvc1'] }),
    encodeTestAudio(file('opus.mp4'), { seconds: 1, channels: 2, codec: 'libopus' }),
    encodeTestVideo(file('colr.mp4'), {
      ...video,
      outputArgs: [
        ...['-vf', 'setsar=4/3'],
        ...['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'],
      ],
    }),
  ]);
});
afterAll(() => temp?.remove());

async function streamOf(path: string): Promise<Stream> {
  const { streams } = await ffprobeJson<{ streams: Stream[] }>(path, ['-show_streams', '-show_data']);
  return streams[0]!;
}

async function jsonDump(path: string, verbosity: 0 | 1 | 2 = 0): Promise<JsonBox[]> {
  const { text, error } = await dumpFile(path, { format: 'json', verbosity });
  expect(error).toBeUndefined();
  return JSON.parse(text) as JsonBox[];
}

/**
 * The timescale and duration a media header must have for ffprobe's stream
 * (whose duration leaves out what the edit list skips: Opus's pre-skip).
 */
function expectMediaHeader(boxes: JsonBox[], stream: Stream, skipped = 0): void {
  const mdhd = findJsonBox(boxes, 'mdhd');
  expect(`1/${mdhd.timescale}`).toBe(stream.time_base);
  expect((mdhd.duration as number) - skipped).toBe(stream.duration_ts);
  expect(findJsonBox(boxes, 'stsz').sample_count).toBe(Number(stream.nb_frames));
}

describe('the default mode prints what ffprobe reads', () => {
  it('HEVC: hvc1 size, hvcC profile and level, sample count, timescale, duration', async () => {
    const stream = await streamOf(file('hevc.mp4'));
    const boxes = await jsonDump(file('hevc.mp4'));
    const entry = findJsonBox(boxes, 'hvc1');
    expect([entry.width, entry.height]).toEqual([stream.width, stream.height]);
    const hvcC = findJsonBox(boxes, 'hvcC');
    expect(hvcC.Profile).toBe(stream.profile);
    expect(hvcC.Level).toBe(stream.level);
    // The parameter sets Bento4 does not print.
    expect(hvcC.SPS).toMatch(/^\[42 01 /);
    expect(hvcC.PPS).toMatch(/^\[44 01 /);
    expectMediaHeader(boxes, stream);
  });

  it('Opus: the dOps header as ffprobe finds it in the OpusHead extradata', async () => {
    const stream = await streamOf(file('opus.mp4'));
    const boxes = await jsonDump(file('opus.mp4'));
    // OpusHead (RFC 7845 5.1): magic(8) version(1) channels(1) pre_skip(16 LE) input_sample_rate(32 LE).
    const head = Buffer.from(
      (stream.extradata ?? '')
        .replace(/^\s*[0-9a-f]+: /gm, '')
        .replace(/ {2}.*$/gm, '')
        .replace(/\s/g, ''),
      'hex',
    );
    expect(head.subarray(0, 8).toString('latin1')).toBe('OpusHead');
    const dOps = findJsonBox(boxes, 'dOps');
    expect(dOps).toMatchObject({
      output_channel_count: stream.channels,
      pre_skip: head.readUInt16LE(10),
      input_sample_rate: head.readUInt32LE(12),
      channel_mapping_family: 0,
    });
    expect(findJsonBox(boxes, 'Opus')).toMatchObject({
      channel_count: stream.channels,
      sample_rate: Number(stream.sample_rate),
    });
    // The edit list starts the presentation after the pre-skip.
    expect(findJsonBox(boxes, 'elst')['entry/media time']).toBe(dOps.pre_skip);
    expectMediaHeader(boxes, stream, dOps.pre_skip as number);
  });

  it('colr and pasp: the primaries and sample aspect ratio ffprobe reports', async () => {
    const stream = await streamOf(file('colr.mp4'));
    const boxes = await jsonDump(file('colr.mp4'));
    const pasp = findJsonBox(boxes, 'pasp');
    expect(`${pasp.h_spacing}:${pasp.v_spacing}`).toBe(stream.sample_aspect_ratio);
    expect(stream.color_primaries).toBe('bt709');
    expect(findJsonBox(boxes, 'colr')).toMatchObject({
      'Colour Parameter Type:': 'nclx',
      'Primaries Index:': 1, // ITU-T H.273: 1 is BT.709
      'Transfer Funcion Index:': 1,
      'Matrix Index:': 1,
    });
    const avcC = findJsonBox(boxes, 'avcC');
    expect([avcC.Profile, avcC.Level]).toEqual([stream.profile, stream.level]);
    expectMediaHeader(boxes, stream);
  });

  it('--bento4 shows what Bento4 leaves undecoded with its size only', async () => {
    const { text } = await dumpFile(file('opus.mp4'), { bento4: true });
    expect(text).toContain('              [dOps] size=8+11\n              [btrt] size=8+12\n');
    const all = await dumpFile(file('opus.mp4'));
    expect(all.text).toMatch(/\[dOps\] size=8\+11\n {16}version = 0\n {16}output_channel_count = 2\n/);
  });
});
