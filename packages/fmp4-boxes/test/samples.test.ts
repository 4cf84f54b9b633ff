/**
 * Samples and codec parameters against ffprobe (the truth from another
 * reader): every packet's byte position, size, timestamps, duration and
 * key flag, for the sample-table file, the fragmented one, a DASH init +
 * media segment, and the Opus file.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffprobeJson, makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Box,
  type EditListBox,
  findBox,
  findBoxes,
  listSamples,
  listSidxRanges,
  parseBoxes,
  type Sample,
  type SegmentIndexBox,
  type TrackHeaderBox,
} from '../src/index.js';
import { type Fixture, fixtureBytes, fixturePath } from './helpers/bento4.js';

interface Packet {
  stream_index: number;
  pts: number;
  dts: number;
  duration: number;
  size: string;
  pos: string;
  flags: string;
}

const packets = async (file: string) =>
  (
    await ffprobeJson<{ packets: Packet[] }>(file, [
      '-show_entries',
      'packet=stream_index,pts,dts,duration,size,pos,flags',
      '-show_packets',
    ])
  ).packets;

/** The track ids of a file's traks, in order (ffprobe's stream order). */
const trackIds = (boxes: Box[]) =>
  findBoxes(boxes, 'moov/trak/tkhd').map((tkhd) => (tkhd as TrackHeaderBox).trackId);

/** ffprobe puts a track's first presentation at its edit's media_time: it subtracts it from every timestamp. */
function editShift(boxes: Box[], index: number): number {
  const trak = findBoxes(boxes, 'moov/trak')[index]!;
  const elst = findBox(trak, 'edts/elst') as EditListBox | undefined;
  return Number(elst?.entries[0]?.mediaTime ?? 0);
}

/** Packets whose duration ffprobe does not take from the file: [track index, packet index]. */
type Skip = (track: number, packet: number, count: number) => boolean;

async function compareWithFfprobe(
  file: string,
  bytes: Uint8Array,
  skipDuration: Skip = () => false,
): Promise<number[]> {
  const boxes = parseBoxes(bytes);
  const probed = await packets(file);
  const counts: number[] = [];
  for (const [index, trackId] of trackIds(boxes).entries()) {
    const shift = editShift(boxes, index);
    const ours = [...listSamples(boxes, trackId)].map((s: Sample) => ({
      pos: s.offset,
      size: s.size,
      dts: s.dts - shift,
      pts: s.cts - shift,
      duration: s.duration,
      key: s.sync,
    }));
    const theirs = probed
      .filter((p) => p.stream_index === index)
      .map((p) => ({
        pos: Number(p.pos),
        size: Number(p.size),
        dts: p.dts,
        pts: p.pts,
        duration: p.duration,
        key: p.flags.startsWith('K'),
      }));
    expect(ours.length).toBeGreaterThan(0);
    for (const [i, packet] of theirs.entries()) {
      if (skipDuration(index, i, theirs.length)) packet.duration = ours[i]!.duration;
    }
    expect(ours).toEqual(theirs);
    counts.push(ours.length);
  }
  return counts;
}

describe('listSamples against ffprobe -show_packets', () => {
  let temp: TempDir;
  beforeAll(async () => {
    temp = await makeTempDir('fmp4-boxes-');
  });
  afterAll(() => temp.remove());

  const files: [Fixture, number[]][] = [
    ['01-progressive-moov-at-end.mp4', [125, 236]],
    ['11-opus.mp4', [251]],
  ];
  for (const [name, expected] of files) {
    it(`${name}: every packet's position, size, dts, pts, duration and key flag`, async () => {
      expect(await compareWithFfprobe(fixturePath(name), fixtureBytes(name))).toEqual(expected);
    });
  }

  it('03-fragmented.mp4: the same, from moof/traf/trun with tfhd and trex defaults', async () => {
    // ffprobe (5.1) gives the audio track's first packet no duration and its
    // last one 1024; the truns say 3840 and 384 (Bento4's dump: "(0)
    // sample_duration = 3840", "(50) sample_duration = 384"): those two are
    // checked against the truns instead.
    const edge = (track: number, packet: number, count: number) =>
      track === 1 && (packet === 0 || packet === count - 1);
    const name = '03-fragmented.mp4';
    expect(await compareWithFfprobe(fixturePath(name), fixtureBytes(name), edge)).toEqual([125, 236]);
    const audio = [...listSamples(parseBoxes(fixtureBytes(name)), 2)];
    expect([audio[0]!.duration, audio.at(-1)!.duration]).toEqual([3840, 384]);
  });

  it('06-dash init + first media segment, concatenated', async () => {
    const init = fixtureBytes('06-dash_init-0.m4s');
    const segment = fixtureBytes('06-dash_seg-0-00001.m4s');
    const joined = new Uint8Array(init.length + segment.length);
    joined.set(init);
    joined.set(segment, init.length);
    const file = join(temp.path, 'joined.mp4');
    await writeFile(file, joined);
    expect(await compareWithFfprobe(file, joined)).toEqual([25]);
  });
});

describe('codec parameters against ffprobe -show_streams', () => {
  interface Stream {
    codec_name: string;
    profile?: string;
    width?: number;
    height?: number;
    sample_rate?: string;
    channels?: number;
    extradata?: string;
    duration_ts?: number;
  }
  const streams = async (name: Fixture) =>
    (await ffprobeJson<{ streams: Stream[] }>(fixturePath(name), ['-show_streams', '-show_data'])).streams;

  it('H.264 and AAC of 01: size, profile, rate, channels, AudioSpecificConfig', async () => {
    const [video, audio] = await streams('01-progressive-moov-at-end.mp4');
    const boxes = parseBoxes(fixtureBytes('01-progressive-moov-at-end.mp4'));
    const avc1 = findBox(boxes, 'moov/trak/mdia/minf/stbl/stsd/avc1')!;
    const avcC = findBox(avc1, 'avcC')!;
    expect([avc1.width, avc1.height]).toEqual([video!.width, video!.height]);
    expect(avcC.profile).toBe(100); // ffprobe: High
    expect(video!.profile).toBe('High');
    const mp4a = findBox(boxes, 'moov/trak[1]/mdia/minf/stbl/stsd/mp4a')!;
    expect([mp4a.sampleRate, mp4a.channelCount]).toEqual([Number(audio!.sample_rate), audio!.channels]);
    const esds = findBox(mp4a, 'esds')!;
    const es = esds.descriptors[0] as unknown as {
      subDescriptors: { subDescriptors?: { audioSpecificConfig?: object }[] }[];
    };
    expect(es.subDescriptors[0]!.subDescriptors![0]!.audioSpecificConfig).toEqual({
      audioObjectType: 2, // ffprobe: LC
      samplingFrequencyIndex: 3,
      samplingFrequency: 48000,
      channelConfiguration: 2,
    });
    expect(audio!.profile).toBe('LC');
  });

  it('Opus of 11: channels, rate and pre-skip (dOps, which Bento4 does not decode)', async () => {
    const [audio] = await streams('11-opus.mp4');
    const dOps = findBox(parseBoxes(fixtureBytes('11-opus.mp4')), 'moov/trak/mdia/minf/stbl/stsd/Opus/dOps')!;
    expect(audio!.codec_name).toBe('opus');
    expect(dOps.outputChannelCount).toBe(audio!.channels);
    expect(dOps.inputSampleRate).toBe(48000);
    // ffmpeg's Opus extradata is the OpusHead: pre-skip at bytes 10-11, little-endian.
    const extradata = (audio!.extradata ?? '')
      .replace(/^[0-9a-f]+: /gm, '')
      .replace(/ {2}.*$/gm, '')
      .replace(/\s/g, '');
    const head = Buffer.from(extradata, 'hex');
    expect(dOps.preSkip).toBe(head.readUInt16LE(10));
    expect(dOps.preSkip).toBe(312); // also the edit's media_time in this file
  });
});

describe('listSidxRanges', () => {
  it("gives the DASH segment's references as byte ranges of the file", () => {
    const bytes = fixtureBytes('06-dash_seg-0-00001.m4s');
    const boxes = parseBoxes(bytes);
    const sidx = findBox(boxes, 'sidx') as SegmentIndexBox;
    const moof = findBox(boxes, 'moof')!;
    const mdat = findBox(boxes, 'mdat')!;
    expect(listSidxRanges(sidx)).toEqual([
      // Bento4: referenced_size = 29648, subsegment_duration = 12800 (timescale 12800), starts_with_SAP = 1
      {
        start: moof.offset,
        end: mdat.offset + mdat.size,
        startTime: 0,
        duration: 1,
        sap: true,
        sapType: 0,
        kind: 'media',
      },
    ]);
    expect(mdat.offset + mdat.size).toBe(bytes.length);
  });

  it('places the ranges by the file offset of a sidx fetched by range', () => {
    const bytes = fixtureBytes('06-dash_seg-0-00001.m4s');
    const [, sidxBox] = parseBoxes(bytes);
    const alone = bytes.subarray(sidxBox!.offset, sidxBox!.offset + sidxBox!.size);
    const [sidx] = parseBoxes(alone, { offset: 5000 + sidxBox!.offset }) as SegmentIndexBox[];
    expect(listSidxRanges(sidx!)[0]).toMatchObject({
      start: 5000 + sidxBox!.offset + sidxBox!.size,
      end: 5000 + bytes.length,
    });
  });
});
