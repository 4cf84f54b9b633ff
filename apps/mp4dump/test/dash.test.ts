import { cp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileSource } from '@rec/core/node';
import {
  type Box,
  findBoxes,
  type MediaHeaderBox,
  type MovieHeaderBox,
  overwriteBox,
  parseBoxes,
  readBoxes,
} from '@rec/fmp4-boxes';
import { makeTempDir, probe, runFfmpeg, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASH_SECONDS, makeDashDirectory, representationFiles } from './helpers/dashDirectories.js';
import { runCli } from './helpers/runCli.js';

interface SummaryRow {
  id: string;
  status: 'dumped' | 'skipped' | 'failed';
  reason?: string;
  segments: number;
  init: boolean;
  bytes: number;
  boxes: number;
  errors: number;
  dump?: string;
  concat?: string;
}
interface Summary {
  ok: boolean;
  manifest: string;
  dir: string;
  representations: SummaryRow[];
}

let temp: TempDir;
let template: string;
let timeline: string;
beforeAll(async () => {
  temp = await makeTempDir('rec-mp4dump-dash-');
  template = join(temp.path, 'template');
  timeline = join(temp.path, 'timeline');
  await Promise.all([makeDashDirectory(template, 'template'), makeDashDirectory(timeline, 'timeline')]);
});
afterAll(() => temp.remove());

/** A fresh copy of a made directory, for a run that writes into it or a test that damages it. */
let copies = 0;
async function copyOf(dir: string): Promise<string> {
  const copy = join(temp.path, `copy-${++copies}`);
  await cp(dir, copy, { recursive: true });
  return copy;
}

/** Every box of a file, all depths, as the reader finds them (the truth for the `boxes` column). */
async function countBoxes(file: string): Promise<number> {
  const source = await openFileSource(file);
  let boxes = 0;
  try {
    for await (const _ of readBoxes(source)) boxes++;
  } finally {
    await source.close();
  }
  return boxes;
}

/** The `# ...` header lines of a text `.dump`. */
const headersOf = (dump: string) => dump.split('\n').filter((line) => line.startsWith('# '));

describe('mp4dump DASH mode', () => {
  it('dumps every fMP4 representation of a SegmentTemplate ($Number$) directory, skips the WebM one, and sums it up', async () => {
    const dir = await copyOf(template);
    // No -d: the current directory, as the legacy tool.
    const run = await runCli(['--json'], { cwd: dir });
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary).toMatchObject({ ok: true, manifest: 'manifest.mpd', dir: '.' });
    expect(summary.representations.map(({ id, status }) => [id, status])).toEqual([
      ['0', 'dumped'],
      ['1', 'dumped'],
      ['2', 'dumped'],
      ['3', 'skipped'],
    ]);
    expect(summary.representations[3]?.reason).toBe('video/webm (vp8) is not fMP4');

    for (const row of summary.representations.slice(0, 3)) {
      // @duration 1 s over a 4-s Period: ceil(4 / 1) = 4 segments (ffmpeg writes a fifth, 389-byte
      // audio chunk past the end, which the MPD does not list).
      const files = (await representationFiles(dir, row.id)).slice(0, 1 + DASH_SECONDS);
      expect(row).toMatchObject({
        segments: DASH_SECONDS,
        init: true,
        errors: 0,
        bytes: files.reduce((sum, file) => sum + file.size, 0),
        dump: `${row.id}.dump`,
      });
      let boxes = 0;
      for (const file of files) boxes += await countBoxes(join(dir, file.name));
      expect(row.boxes).toBe(boxes);

      // One header per segment: its file, its bytes in the file and in the representation.
      const dump = await readFile(join(dir, `${row.id}.dump`), 'utf8');
      let offset = 0;
      const expected = [
        `# representation ${row.id} of manifest.mpd: init + 4 media segments, ${row.bytes} bytes`,
        ...files.map(({ name, size }, index) => {
          const line =
            `# ${index === 0 ? 'init' : `segment ${index}`} ${name} bytes 0-${size - 1} (${size} bytes), ` +
            `representation bytes ${offset}-${offset + size - 1}`;
          offset += size;
          return line;
        }),
      ];
      expect(headersOf(dump)).toEqual(expected);
      expect(dump.split('\n')[2]).toMatch(/^\[ftyp\] size=/);
    }
    expect((await readdir(dir)).filter((name) => /\.(dump|mp4|part)$/.test(name)).sort()).toEqual([
      '0.dump',
      '1.dump',
      '2.dump',
    ]);
  });

  it('prints the summary as a table without --json', async () => {
    const dir = await copyOf(template);
    const run = await runCli(['-d', dir]);
    expect(run.code).toBe(0);
    const files = await Promise.all(
      ['0', '1', '2'].map(async (id) => (await representationFiles(dir, id)).slice(0, 1 + DASH_SECONDS)),
    );
    const bytes = files.map((list) => list.reduce((sum, file) => sum + file.size, 0));
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${join(dir, 'manifest.mpd')}: 4 representations, 3 dumped`);
    expect(lines[1]?.split(/\s+/)).toEqual([
      'representation',
      'type',
      'segments',
      'bytes',
      'boxes',
      'errors',
      'output',
    ]);
    const rows = lines.slice(2, 6).map((line) => line.split(/\s+/));
    expect(rows.map((row) => [row[0], row[1], row[2], row[3], row[5], row[6]])).toEqual([
      ['0', 'video', '4', String(bytes[0]), '0', '0.dump'],
      ['1', 'video', '4', String(bytes[1]), '0', '1.dump'],
      ['2', 'audio', '4', String(bytes[2]), '0', '2.dump'],
      ['3', 'video', '-', '-', '-', 'skipped'],
    ]);
    expect(lines[6]).toBe('skipped 3: video/webm (vp8) is not fMP4');
  });

  it('dumps a SegmentTimeline ($Time$) directory and --concat writes each representation as one playable file', async () => {
    const dir = await copyOf(timeline);
    const run = await runCli(['-d', dir, '--concat', '--json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Summary;
    for (const row of summary.representations.slice(0, 3)) {
      // The audio's fifth chunk (S d="512") starts at 4.0107 s, after the Period's end
      // (mediaPresentationDuration PT4.0S): not part of the Period, as with the template.
      const files = (await representationFiles(dir, row.id)).slice(0, 1 + DASH_SECONDS);
      expect(files.slice(1).every(({ name }) => /^chunk-\d-\d+\.m4s$/.test(name))).toBe(true);
      expect(row).toMatchObject({
        status: 'dumped',
        segments: files.length - 1,
        bytes: files.reduce((sum, file) => sum + file.size, 0),
        // Paths as -d gives the directory.
        dump: join(dir, `${row.id}.dump`),
        concat: join(dir, `${row.id}.mp4`),
      });
      expect(headersOf(await readFile(join(dir, `${row.id}.dump`), 'utf8'))).toHaveLength(files.length + 1);

      const mp4 = join(dir, `${row.id}.mp4`);
      const parts = await Promise.all(files.map(({ name }) => readFile(join(dir, name))));
      expect(Buffer.compare(await readFile(mp4), Buffer.concat(parts))).toBe(0);
      const { format, streams } = await probe(mp4);
      expect(Number(format.duration)).toBeCloseTo(DASH_SECONDS, 1);
      expect(Number(streams[0]?.duration)).toBeCloseTo(DASH_SECONDS, 1);
      expect(await runFfmpeg(['-v', 'error', '-i', mp4, '-f', 'null', '-'])).toBe('');
    }
    expect(summary.representations[3]).toMatchObject({ id: '3', status: 'skipped' });
    expect((await readdir(dir)).filter((name) => name.startsWith('3.'))).toEqual([]);
  });

  it('--concat: durations the init declares for the whole presentation are set to 0, so ffprobe reads the segments there', async () => {
    // As DASH-IF's test assets and some packagers write it: mvhd, tkhd and mdhd say 3900 s.
    const dir = await copyOf(timeline);
    const [init, ...media] = (await representationFiles(dir, '0')).slice(0, 1 + DASH_SECONDS);
    const original = new Uint8Array(await readFile(join(dir, init!.name)));
    const boxes = parseBoxes(original);
    const declared = [
      ...findBoxes(boxes, 'moov/mvhd'),
      ...findBoxes(boxes, 'moov/trak/tkhd'),
      ...findBoxes(boxes, 'moov/trak/mdia/mdhd'),
    ] as (Box & { duration: number })[];
    expect(declared).toHaveLength(3);
    const timescales = new Map([
      ['mvhd', (findBoxes(boxes, 'moov/mvhd')[0] as MovieHeaderBox).timeScale],
      ['tkhd', (findBoxes(boxes, 'moov/mvhd')[0] as MovieHeaderBox).timeScale],
      ['mdhd', (findBoxes(boxes, 'moov/trak/mdia/mdhd')[0] as MediaHeaderBox).timeScale],
    ]);
    const long = original.slice();
    for (const box of declared) {
      box.duration = 3900 * (timescales.get(box.type) ?? 1);
      overwriteBox(long, box);
    }
    await writeFile(join(dir, init!.name), long);
    const run = await runCli(['-d', dir, '-r', '0', '--concat']);
    expect(run.code, run.stderr).toBe(0);
    const mp4 = join(dir, '0.mp4');
    const { format } = await probe(mp4);
    expect(Number(format.duration)).toBeCloseTo(DASH_SECONDS, 1);
    // Only the durations changed: same size, every byte of the media segments as they are.
    const written = await readFile(mp4);
    expect(written.subarray(0, original.length).equals(Buffer.from(original))).toBe(true);
    const parts = await Promise.all(media.map(({ name }) => readFile(join(dir, name))));
    expect(written.subarray(original.length).equals(Buffer.concat(parts))).toBe(true);
    // The source file is left as it was.
    expect((await readFile(join(dir, init!.name))).equals(Buffer.from(long))).toBe(true);
  });

  it('writes JSON dumps with --format json: one entry per segment with its file and byte ranges', async () => {
    const dir = await copyOf(template);
    const run = await runCli(['-d', dir, '-r', '2', '--format', 'json', '--verbosity', '1']);
    expect(run.code).toBe(0);
    expect((await readdir(dir)).filter((name) => name.endsWith('.dump'))).toEqual(['2.dump']);
    const dump = JSON.parse(await readFile(join(dir, '2.dump'), 'utf8')) as {
      representation: string;
      manifest: string;
      segments: {
        segment: string | number;
        file: string;
        file_bytes: number[];
        representation_bytes: number[];
        boxes: { name: string }[];
      }[];
    };
    const files = (await representationFiles(dir, '2')).slice(0, 1 + DASH_SECONDS);
    expect(dump.representation).toBe('2');
    expect(dump.segments.map(({ segment, file, file_bytes }) => [segment, file, file_bytes])).toEqual(
      files.map(({ name, size }, index) => [index === 0 ? 'init' : index, name, [0, size - 1]]),
    );
    expect(dump.segments[0]?.boxes.map((box) => box.name)).toEqual(['ftyp', 'moov']);
    expect(dump.segments[1]?.boxes.map((box) => box.name)).toEqual(['styp', 'sidx', 'moof', 'mdat']);
  });

  it('fails a representation whose segment file is missing, naming it; the others are dumped, exit 1', async () => {
    const dir = await copyOf(template);
    await rm(join(dir, 'chunk-stream1-00003.m4s'));
    const run = await runCli(['-d', dir, '--json']);
    expect(run.code).toBe(1);
    const [summaryLine, errorLine] = run.stdout.trimEnd().split('\n');
    const summary = JSON.parse(summaryLine ?? '') as Summary;
    expect(summary.ok).toBe(false);
    expect(summary.representations[1]).toMatchObject({
      id: '1',
      status: 'failed',
      errors: 1,
      reason: 'chunk-stream1-00003.m4s is missing (1 of its 5 segment files)',
    });
    expect(summary.representations.map((row) => row.status)).toEqual([
      'dumped',
      'failed',
      'dumped',
      'skipped',
    ]);
    expect(JSON.parse(errorLine ?? '')).toMatchObject({
      ok: false,
      error: { code: 'MP4DUMP_REPRESENTATION_FAILED' },
    });
    expect(run.stderr).toContain(
      'mp4dump: 1 of 3 representations with errors: representation "1": chunk-stream1-00003.m4s is missing (1 of its 5 segment files) [MP4DUMP_REPRESENTATION_FAILED]\n',
    );
    expect((await readdir(dir)).filter((name) => name.endsWith('.dump')).sort()).toEqual([
      '0.dump',
      '2.dump',
    ]);
  });

  it('dumps a truncated segment as far as it is valid, marks it in the .dump, goes on, and does not concatenate it', async () => {
    const dir = await copyOf(template);
    await truncate(join(dir, 'chunk-stream0-00002.m4s'), 20_000);
    const run = await runCli(['-d', dir, '--concat']);
    expect(run.code).toBe(1);
    const dump = await readFile(join(dir, '0.dump'), 'utf8');
    const headers = headersOf(dump);
    expect(headers).toHaveLength(1 + 1 + DASH_SECONDS + 1);
    expect(headers[3]).toMatch(/^# segment 2 chunk-stream0-00002\.m4s bytes 0-19999 \(20000 bytes\)/);
    expect(headers[4]).toMatch(/^# error: mdat @ 0x[0-9a-f]+: .* \[BOX_TRUNCATED\]$/);
    expect(headers[5]).toMatch(/^# segment 3 /);
    // What comes before the cut is dumped: styp, sidx, moof of segment 2.
    const segment2 = dump.slice(dump.indexOf(headers[3] as string), dump.indexOf(headers[4] as string));
    expect(segment2).toMatch(/\n\[styp\] .*\n(.*\n)*\[sidx\] .*\n(.*\n)*\[moof\] /);
    expect(run.stdout).toMatch(
      /\ndamaged 0: segment 2 chunk-stream0-00002\.m4s: mdat @ 0x[0-9a-f]+: .*\[BOX_TRUNCATED\]; not concatenated\n/,
    );
    expect(run.stderr).toMatch(/\[MP4DUMP_REPRESENTATION_FAILED\]\n$/);
    expect((await readdir(dir)).filter((name) => /\.(mp4|part)$/.test(name)).sort()).toEqual([
      '1.mp4',
      '2.mp4',
    ]);
  });

  it('refuses a directory with several MPDs, listing them; -d DIR/x.mpd picks one', async () => {
    const dir = await copyOf(template);
    await writeFile(join(dir, 'other.mpd'), await readFile(join(dir, 'manifest.mpd')));
    const run = await runCli(['-d', dir]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(
      `mp4dump: 2 .mpd files in ${dir} (manifest.mpd, other.mpd): name one with -d ${join(dir, 'manifest.mpd')} [MP4DUMP_SEVERAL_MANIFESTS]\n`,
    );
    const one = await runCli(['-d', join(dir, 'other.mpd'), '-r', '0']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/other\.mpd: 1 representations, 1 dumped\n/);
  });

  it('exits 2 without an MPD, on an unknown -r, and on a -d that does not exist', async () => {
    const empty = join(temp.path, 'empty');
    await cp(join(template, 'init-stream0.m4s'), join(empty, 'init-stream0.m4s'), { recursive: true });
    expect(await runCli([], { cwd: empty })).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'mp4dump: no .mpd file in . (give MP4 files to dump, or -d DIR with a DASH download) [MP4DUMP_NO_MANIFEST]\n',
    });
    expect(await runCli(['-d', template, '-r', '0', '-r', '9'])).toMatchObject({
      code: 2,
      stderr: `mp4dump: no Representation "9" in ${join(template, 'manifest.mpd')} (it has "0", "1", "2", "3") [MP4DUMP_UNKNOWN_REPRESENTATION]\n`,
    });
    expect(await runCli(['-d', join(temp.path, 'nowhere')])).toMatchObject({
      code: 2,
      stderr: `mp4dump: ${join(temp.path, 'nowhere')}: no such file or directory [CLI_BAD_ARGUMENTS]\n`,
    });
  });
});
