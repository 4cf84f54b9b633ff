import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EsSegment } from '@rec/es-ts';
import { findLastPicture } from '@rec/es-ts/bitstream';
import {
  encodeTestVideo,
  ffmpegDecodeWarnings,
  makeTempDir,
  makeVideoSegments,
  probeFrames,
  runFfmpeg,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLastPictures, findUndecodablePictures, MuxError, writeRecording } from '../src/index.js';

// Issue 9 item 7: a segment cut inside the one slice of its last picture shows it in no header;
// only a decoder finds its macroblocks stop short. Real libx264 encodes (CABAC with a B-pyramid,
// CAVLC), real ffmpeg (the suite runs with Debian's and with the npm one, 4.1).

let tmp: TempDir;
/** Whole streams: 2 s at 25 fps, one slice per picture. */
const streams: Record<string, Uint8Array> = {};

beforeAll(async () => {
  tmp = await makeTempDir('mux-last-pictures-');
  const encode = async (name: string, params: string[]) => {
    const file = join(tmp.path, `${name}.h264`);
    await encodeTestVideo(file, { seconds: 2, size: '640x360', bframes: 3, format: 'h264', params });
    streams[name] = new Uint8Array(await readFile(file));
  };
  await Promise.all([encode('cabac', []), encode('cavlc', ['cabac=0'])]);
});
afterAll(async () => {
  await tmp?.remove();
});

/** Where each access unit of a stream ends (its last one: the stream's end), from the probes of its prefixes. */
function pictureEnds(stream: Uint8Array): number[] {
  const ends: number[] = [stream.length];
  let last = findLastPicture(stream, 'h264');
  while (last && last.offset > 0) {
    ends.unshift(last.offset);
    last = findLastPicture(stream.subarray(0, last.offset), 'h264');
  }
  return ends;
}

/** The probe of the picture ending at `end`, that picture cut to `keep` of its bytes. */
function probeOf(stream: Uint8Array, end: number, keep = 1): Uint8Array {
  const whole = findLastPicture(stream.subarray(0, end), 'h264')!;
  const cut = Math.max(1, Math.floor(whole.bytes * keep));
  return whole.probe.subarray(0, whole.probe.length - whole.bytes + cut);
}

describe('findUndecodablePictures', () => {
  for (const name of ['cabac', 'cavlc']) {
    it(`${name}: every picture alone (I, P and B, their references missing) decodes whole`, async () => {
      const stream = streams[name]!;
      const ends = pictureEnds(stream);
      expect(ends).toHaveLength(50);
      const probes = ends.map((end) => probeOf(stream, end));
      expect(await findUndecodablePictures(probes)).toEqual([]);
    });

    it(`${name}: pictures cut anywhere in their slice are found among whole ones, each with ffmpeg's words`, async () => {
      const stream = streams[name]!;
      const ends = pictureEnds(stream);
      // A P-frame, a B-frame and the I-frame, cut at 10 % ... 8 bytes short; whole pictures between them.
      // (A cut of the last byte alone can lose nothing but the stop bit: that picture still decodes whole.)
      const cuts: [number, number][] = [
        [25, 0.1],
        [13, 0.5],
        [0, 0.9],
        [40, 0.99],
        [49, -8],
      ];
      const probes: Uint8Array[] = [];
      const expected: number[] = [];
      for (const [index, keep] of cuts) {
        probes.push(
          probeOf(stream, ends[index + 1] ?? stream.length),
          probeOf(stream, ends[index + 2] ?? stream.length),
        );
        const whole = findLastPicture(stream.subarray(0, ends[index]), 'h264')!;
        const cut = keep < 0 ? whole.bytes + keep : Math.floor(whole.bytes * keep);
        expected.push(probes.length);
        probes.push(whole.probe.subarray(0, whole.probe.length - whole.bytes + cut));
      }
      const found = await findUndecodablePictures(probes);
      expect(found.map((picture) => picture.index)).toEqual(expected);
      for (const { reason } of found) {
        expect(reason).toMatch(
          /^(concealing \d+ DC, \d+ AC, \d+ MV errors in [IPB] frame|error while decoding MB \d+ \d+.*)$/,
        );
      }
    });
  }

  it('ffmpeg failing on every probe (none can be read alone) is an error, not a verdict', async () => {
    const stream = streams.cabac!;
    const slice = findLastPicture(stream, 'h264')!;
    // The picture without the SPS and PPS before it.
    const bare = stream.subarray(slice.offset);
    await expect(findUndecodablePictures([bare, bare])).rejects.toMatchObject({
      name: 'MuxError',
      code: 'FFMPEG_FAILED',
    });
  });
});

describe('checkLastPictures and writeRecording', () => {
  it('only the segment cut inside its last slice is marked; the recording cuts it and decodes clean', async () => {
    const dir = join(tmp.path, 'segments');
    const { files, epochs } = await makeVideoSegments({
      dir,
      startEpoch: 1_000,
      count: 4,
      width: 640,
      height: 360,
      bframes: 3,
    });
    const whole = files.map(() => new Uint8Array(0));
    for (const [index, file] of files.entries()) whole[index] = new Uint8Array(await readFile(file));
    // Segment 2 lost the last 40 % of its last picture's slice, as an upload cut short leaves it.
    const last = findLastPicture(whole[2]!, 'h264')!;
    const cutBytes = whole[2]!.subarray(0, whole[2]!.length - Math.floor(last.bytes * 0.4));
    await writeFile(files[2]!, cutBytes);
    const segments: EsSegment[] = files.map((file, index) => ({
      name: `cam1/${epochs[index]}.h264`,
      startTime: epochs[index]!,
      source: () => readChunks(file),
    }));

    const checked = await checkLastPictures(segments);
    expect(checked.map((segment) => segment.damagedFrom?.offset)).toEqual([
      undefined,
      undefined,
      last.offset,
      undefined,
    ]);
    expect(checked[2]!.damagedFrom!.what).toMatch(
      /^a decoder cannot decode its last picture whole \(ffmpeg: (concealing|error while decoding MB)/,
    );
    // In batches of one probe each (memory bounded on long windows): the same verdicts.
    const batched = await checkLastPictures(segments, { batchBytes: 1 });
    expect(batched.map((segment) => segment.damagedFrom)).toEqual(
      checked.map((segment) => segment.damagedFrom),
    );

    const window = { start: 1_000, end: 1_008 };
    const output = join(tmp.path, 'checked.ts');
    const written = await writeRecording({ video: { segments }, window, output, format: 'ts' });
    expect(written.video!.segments.map((segment) => segment.frames)).toEqual([50, 50, 49, 50]);
    expect(
      written.video!.damaged.map((d) => [d.source, d.reason, d.offset, d.droppedFrames, d.end - d.start]),
    ).toEqual([['cam1/1004.h264', 'truncated', last.offset, 1, expect.closeTo(0.04, 6)]]);
    expect(await ffmpegDecodeWarnings(output)).toBe('');
    expect(await probeFrames(output)).toHaveLength(199);

    // Without the check the cut picture goes in, and a decoder conceals what it lacks.
    const unchecked = join(tmp.path, 'unchecked.ts');
    await writeRecording({
      video: { segments, checkLastPictures: false },
      window,
      output: unchecked,
      format: 'ts',
    });
    expect(await runFfmpeg(['-i', unchecked, '-f', 'null', '-'])).toMatch(
      /concealing|error while decoding MB/,
    );

    // strict: the recording fails on that segment, naming it and the byte.
    await expect(
      writeRecording({
        video: { segments, strict: true },
        window,
        output: join(tmp.path, 'strict.ts'),
        format: 'ts',
      }),
    ).rejects.toMatchObject({
      name: 'EsParseError',
      code: 'ES_TRUNCATED',
      source: 'cam1/1004.h264',
      offset: last.offset,
    });
  });

  it('no ffmpeg: the check fails, it never marks a segment', async () => {
    const error = await checkLastPictures([{ name: 'a.h264', startTime: 0, source: streams.cabac! }], {
      ffmpegPath: join(tmp.path, 'no-ffmpeg'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MuxError);
    expect(error).toMatchObject({ code: 'FFMPEG_NOT_FOUND' });
  });
});

async function* readChunks(file: string): AsyncIterable<Uint8Array> {
  const bytes = await readFile(file);
  for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
}
