import { link, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileSource } from '@rec/core/node';
import { type Box, readBoxes } from '@rec/fmp4-boxes';
import { encodeTestVideo, makeTempDir, probe, runFfmpeg, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './helpers/runCli.js';

let temp: TempDir;
beforeAll(async () => {
  temp = await makeTempDir('rec-mp4dump-addressing-');
});
afterAll(() => temp.remove());

/** The top-level boxes of a file, as the reader finds them. */
async function topBoxes(file: string): Promise<Box[]> {
  const source = await openFileSource(file);
  const boxes: Box[] = [];
  try {
    for await (const box of readBoxes(source, { maxDepth: 0 })) boxes.push(box);
  } finally {
    await source.close();
  }
  return boxes;
}

/** 4 s of 320x180 H.264, a keyframe a second (ultrafast: no B-frames). */
const VIDEO = { seconds: 4, preset: 'ultrafast' } as const;
/** The same in a DASH directory: `source.mpd`, 1-s segments `chunk-stream0-$Number%05d$.m4s`. */
const encodeDash = (dir: string) =>
  encodeTestVideo(join(dir, 'source.mpd'), {
    ...VIDEO,
    format: 'dash',
    outputArgs: ['-seg_duration', '1', '-use_timeline', '0'],
  });

describe('mp4dump DASH mode, other addressing', () => {
  it('reads a SegmentBase sidx from the local file, and sniffs a "video/mp4" SegmentList of MPEG-TS files as not fMP4', async () => {
    const dir = join(temp.path, 'on-demand');
    await mkdir(join(dir, 'ts'), { recursive: true });
    // One fMP4 file with a global sidx, as on-demand profiles have it; 1-s fragments.
    await encodeTestVideo(join(dir, 'video.mp4'), {
      ...VIDEO,
      outputArgs: [
        ...['-movflags', '+frag_keyframe+empty_moov+default_base_moof+global_sidx+dash'],
        ...['-frag_duration', '1000000'],
      ],
    });
    await encodeTestVideo(join(dir, 'ts', 'seg%d.ts'), {
      ...VIDEO,
      format: 'segment',
      outputArgs: ['-segment_time', '1'],
    });
    const boxes = await topBoxes(join(dir, 'video.mp4'));
    const sidx = boxes.find((box) => box.type === 'sidx') as Box;
    const moofs = boxes.filter((box) => box.type === 'moof');
    // The last media segment ends with the last mdat (an mfra may follow: no segment's).
    const lastMdat = boxes.filter((box) => box.type === 'mdat').at(-1) as Box;
    const end = lastMdat.offset + lastMdat.size;
    const tsFiles = (await readdir(join(dir, 'ts'))).sort();
    await writeFile(
      join(dir, 'manifest.mpd'),
      `<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S"
     profiles="urn:mpeg:dash:profile:isoff-on-demand:2011" minBufferTime="PT1S">
  <Period>
    <AdaptationSet mimeType="video/mp4" codecs="avc1.42c00c">
      <Representation id="base" bandwidth="600000" width="320" height="180">
        <BaseURL>video.mp4</BaseURL>
        <SegmentBase indexRange="${sidx.offset}-${sidx.offset + sidx.size - 1}">
          <Initialization range="0-${sidx.offset - 1}"/>
        </SegmentBase>
      </Representation>
      <Representation id="ts" bandwidth="600000" width="320" height="180">
        <SegmentList timescale="1" duration="1">
          ${tsFiles.map((name) => `<SegmentURL media="ts/${name}"/>`).join('\n          ')}
        </SegmentList>
      </Representation>
    </AdaptationSet>
  </Period>
</MPD>
`,
    );
    const run = await runCli(['-d', dir, '--concat', '--json']);
    expect(run.code).toBe(0);
    const [base, ts] = JSON.parse(run.stdout).representations;
    expect(ts).toMatchObject({
      id: 'ts',
      status: 'skipped',
      reason: `ts/${tsFiles[0]} is MPEG-TS, not fMP4`,
    });
    // The sidx's references are the moof + mdat pairs, each from its moof to the next (or the end).
    expect(moofs).toHaveLength(4);
    expect(base).toMatchObject({
      id: 'base',
      status: 'dumped',
      segments: 4,
      bytes: end - sidx.size,
      errors: 0,
    });
    const headers = (await readFile(join(dir, 'base.dump'), 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('# '));
    let offset = sidx.offset;
    expect(headers.slice(1)).toEqual([
      `# init video.mp4 bytes 0-${sidx.offset - 1} (${sidx.offset} bytes), representation bytes 0-${sidx.offset - 1}`,
      ...moofs.map((moof, index) => {
        const last = (moofs[index + 1]?.offset ?? end) - 1;
        const size = last - moof.offset + 1;
        const line =
          `# segment ${index + 1} video.mp4 bytes ${moof.offset}-${last} (${size} bytes), ` +
          `representation bytes ${offset}-${offset + size - 1}`;
        offset += size;
        return line;
      }),
    ]);
    // Init + media segments without the sidx: still the whole 4 s.
    const mp4 = join(dir, 'base.mp4');
    expect(Number((await probe(mp4)).format.duration)).toBeCloseTo(4, 1);
    expect(await runFfmpeg(['-v', 'error', '-i', mp4, '-f', 'null', '-'])).toBe('');
  });

  it('names the files of several Periods <rep_id>.p<N>, one per Period and Representation', async () => {
    const dir = join(temp.path, 'periods');
    await mkdir(dir, { recursive: true });
    await encodeDash(dir);
    // Two 2-s Periods over the same 1-s segments: 1-2 in the first, 3-4 in the second.
    const period = (id: string, start: number, first: number) => `
    <Period id="${id}" start="PT${start}S" duration="PT2S">
      <AdaptationSet mimeType="video/mp4" codecs="avc1.42c00c">
        <SegmentTemplate timescale="1" duration="1" startNumber="${first}" presentationTimeOffset="${start}"
          initialization="init-stream0.m4s" media="chunk-stream0-$Number%05d$.m4s"/>
        <Representation id="v" bandwidth="600000" width="320" height="180"/>
      </AdaptationSet>
    </Period>`;
    await writeFile(
      join(dir, 'manifest.mpd'),
      `<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S" minBufferTime="PT1S">${period('a', 0, 1)}${period('b', 2, 3)}
</MPD>
`,
    );
    const run = await runCli(['-d', join(dir, 'manifest.mpd'), '--json']);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout).representations as { id: string; segments: number; dump: string }[];
    expect(rows.map(({ id, segments, dump }) => [id, segments, dump])).toEqual([
      ['v', 2, join(dir, 'v.p0.dump')],
      ['v', 2, join(dir, 'v.p1.dump')],
    ]);
    const headers = (name: string) =>
      readFile(join(dir, name), 'utf8').then((text) =>
        text
          .split('\n')
          .filter((line) => line.startsWith('# segment'))
          .map((line) => line.split(' ').slice(1, 4).join(' ')),
      );
    expect(await headers('v.p0.dump')).toEqual([
      'segment 1 chunk-stream0-00001.m4s',
      'segment 2 chunk-stream0-00002.m4s',
    ]);
    expect(await headers('v.p1.dump')).toEqual([
      'segment 3 chunk-stream0-00003.m4s',
      'segment 4 chunk-stream0-00004.m4s',
    ]);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('exits on %s with %i, leaving no .dump and no part file', async (signal, exitCode) => {
    const dir = join(temp.path, `long-${signal}`);
    await mkdir(dir, { recursive: true });
    await encodeDash(dir);
    // 3,000 segments: hard links to one media segment, so that the run lasts long enough to be stopped.
    const count = 3000;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        link(join(dir, 'chunk-stream0-00001.m4s'), join(dir, `seg-${i + 1}.m4s`)),
      ),
    );
    const mpd = (await readFile(join(dir, 'source.mpd'), 'utf8'))
      .replace(/mediaPresentationDuration="[^"]+"/, `mediaPresentationDuration="PT${count}S"`)
      .replace(/media="[^"]+"/, 'media="seg-$Number$.m4s"');
    await writeFile(join(dir, 'manifest.mpd'), mpd);
    const { child, done } = startCli(['-d', join(dir, 'manifest.mpd')]);
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes(`dump 0 / ${count + 1} files`)) resolve();
      });
    });
    child.kill(signal);
    const run = await done;
    expect(run.code).toBe(exitCode);
    expect(run.stderr.split('\n').at(-2)).toBe(`mp4dump: Interrupted (${signal}) [CLI_INTERRUPTED]`);
    expect((await readdir(dir)).filter((name) => /\.(dump|part)$/.test(name))).toEqual([]);
  });
});
