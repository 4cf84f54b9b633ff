/**
 * The builders make what players read: fixture 01's samples, refragmented
 * into an init segment and one fragment per GOP with a sidx, decode in
 * ffmpeg to the same pictures as the original (framemd5), and ffprobe
 * sees every packet where the fragments put it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffprobeJson, makeTempDir, runFfmpeg, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aacSampleEntry,
  avcSampleEntry,
  buildFragment,
  buildInitSegment,
  buildSidx,
  type DecoderSpecificInfoDescriptor,
  type EsDescriptor,
  type FragmentSampleInput,
  findBox,
  findBoxes,
  listSamples,
  listSidxRanges,
  parseBoxes,
  type Sample,
  type SegmentIndexBox,
} from '../src/index.js';
import { fixtureBytes, fixturePath } from './helpers/bento4.js';
import { expectRoundTrip } from './helpers/roundTrip.js';

const source = fixtureBytes('01-progressive-moov-at-end.mp4');
const boxes = parseBoxes(source);
const video = [...listSamples(boxes, 1)];
const audio = [...listSamples(boxes, 2)];
const VIDEO_SCALE = 12800;
const AUDIO_SCALE = 48000;

const input = (s: Sample): FragmentSampleInput => ({
  data: source.subarray(s.offset, s.offset + s.size),
  duration: s.duration,
  sync: s.sync,
  compositionOffset: s.cts - s.dts,
});

/** The init segment and one fragment per GOP (with the audio of the same span), each a media segment with a sidx. */
function refragment(): { init: Uint8Array; segments: Uint8Array[] } {
  const avcC = findBox(boxes, 'moov/trak/mdia/minf/stbl/stsd/avc1/avcC')!;
  const esds = findBox(boxes, 'moov/trak[1]/mdia/minf/stbl/stsd/mp4a/esds')!;
  const es = esds.descriptors[0] as EsDescriptor;
  const dsi = (es.subDescriptors[0] as EsDescriptor).subDescriptors[0] as DecoderSpecificInfoDescriptor;
  const init = buildInitSegment({
    tracks: [
      {
        trackId: 1,
        handlerType: 'vide',
        timeScale: VIDEO_SCALE,
        sampleEntry: avcSampleEntry({
          width: 320,
          height: 240,
          sps: avcC.sequenceParameters,
          pps: avcC.pictureParameters,
        }),
      },
      {
        trackId: 2,
        handlerType: 'soun',
        timeScale: AUDIO_SCALE,
        sampleEntry: aacSampleEntry({ sampleRate: 48000, channelCount: 2, audioSpecificConfig: dsi.info }),
      },
    ],
  });
  const starts = video.flatMap((s, i) => (s.sync ? [i] : []));
  const segments = starts.map((start, n) => {
    const end = starts[n + 1] ?? video.length;
    const gop = video.slice(start, end);
    const from = gop[0]!.dts / VIDEO_SCALE;
    const to = n + 1 < starts.length ? video[end]!.dts / VIDEO_SCALE : Number.POSITIVE_INFINITY;
    const sound = audio.filter((s) => s.dts / AUDIO_SCALE >= from && s.dts / AUDIO_SCALE < to);
    const fragment = buildFragment({
      sequenceNumber: n + 1,
      tracks: [
        { trackId: 1, baseMediaDecodeTime: gop[0]!.dts, samples: gop.map(input) },
        { trackId: 2, baseMediaDecodeTime: sound[0]!.dts, samples: sound.map(input) },
      ],
    });
    const sidx = buildSidx({
      referenceId: 1,
      timeScale: VIDEO_SCALE,
      earliestPresentationTime: gop[0]!.cts,
      references: [{ size: fragment.length, duration: gop.reduce((t, s) => t + s.duration, 0) }],
    });
    return concat([sidx, fragment]);
  });
  return { init, segments };
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

describe('buildInitSegment + buildFragment + buildSidx', () => {
  let temp: TempDir;
  let file: string;
  let bytes: Uint8Array;
  let segments: Uint8Array[];
  let init: Uint8Array;
  beforeAll(async () => {
    temp = await makeTempDir('fmp4-boxes-build-');
    ({ init, segments } = refragment());
    bytes = concat([init, ...segments]);
    file = join(temp.path, 'refragmented.mp4');
    await writeFile(file, bytes);
  });
  afterAll(() => temp?.remove());

  it('reads back: the same samples, track by track, and writes back the same bytes', () => {
    expectRoundTrip(bytes);
    const built = parseBoxes(bytes);
    const strip = (list: Sample[]) => list.map(({ offset: _, ...rest }) => rest);
    expect(strip([...listSamples(built, 1)])).toEqual(strip(video));
    expect(strip([...listSamples(built, 2)])).toEqual(strip(audio));
    for (const sample of listSamples(built, 1)) expect(sample.size).toBeGreaterThan(0);
  });

  it('every sidx gives the byte range of the fragment after it', () => {
    const built = parseBoxes(bytes);
    const moofs = findBoxes(built, 'moof');
    const mdats = findBoxes(built, 'mdat');
    const ranges = findBoxes(built, 'sidx').map((sidx) => listSidxRanges(sidx as SegmentIndexBox)[0]!);
    expect(ranges.map((r) => [r.start, r.end])).toEqual(
      moofs.map((moof, i) => [moof.offset, mdats[i]!.offset + mdats[i]!.size]),
    );
    expect(ranges.map((r) => r.startTime)).toEqual(
      video.filter((s) => s.sync).map((s) => s.cts / VIDEO_SCALE),
    );
  });

  it('ffmpeg decodes the same pictures as from the original, cleanly', async () => {
    const hashes = async (path: string) => {
      const out = join(temp.path, 'x.md5');
      await runFfmpeg(['-v', 'error', '-i', path, '-map', '0:v', '-f', 'framemd5', out]);
      const lines = (await readFile(out, 'utf8')).split('\n').filter((line) => line && !line.startsWith('#'));
      return lines.map((line) => line.split(',').at(-1)!.trim()); // the picture's md5, not its timestamps
    };
    const ours = await hashes(file);
    expect(ours).toHaveLength(125);
    expect(ours).toEqual(await hashes(fixturePath('01-progressive-moov-at-end.mp4')));
    expect((await runFfmpeg(['-v', 'error', '-i', file, '-f', 'null', '-'])).trim()).toBe('');
  });

  it('ffprobe reads every packet where the fragments put it', async () => {
    const { packets } = await ffprobeJson<{
      packets: { stream_index: number; pos: string; size: string; dts: number; pts: number; flags: string }[];
    }>(file, ['-show_entries', 'packet=stream_index,pos,size,dts,pts,flags', '-show_packets']);
    const built = parseBoxes(bytes);
    for (const [index, trackId] of [1, 2].entries()) {
      const ours = [...listSamples(built, trackId)].map((s) => [s.offset, s.size, s.dts, s.cts, s.sync]);
      const theirs = packets
        .filter((p) => p.stream_index === index)
        .map((p) => [Number(p.pos), Number(p.size), p.dts, p.pts, p.flags.startsWith('K')]);
      expect(theirs).toEqual(ours);
    }
  });

  it('a fragment with negative composition offsets has a version 1 trun', () => {
    const fragment = buildFragment({
      sequenceNumber: 1,
      tracks: [
        {
          trackId: 1,
          baseMediaDecodeTime: 0,
          samples: [{ data: new Uint8Array(3), duration: 10, compositionOffset: -5 }],
        },
      ],
    });
    const trun = findBox(parseBoxes(fragment), 'moof/traf/trun')!;
    expect(trun).toMatchObject({ version: 1, entries: [{ sampleCompositionTimeOffset: -5 }] });
  });
});
