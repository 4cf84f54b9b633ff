/**
 * `chpl` (Nero chapters in moov/udta): the one ffmpeg writes for an MP4
 * with chapters, its start times and titles checked against ffprobe's
 * `-show_chapters`, and byte literals for version 0 and a title that is not
 * UTF-8; each written back as read.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  bytes,
  ffprobeJson,
  fullBox,
  makeTempDir,
  runFfmpeg,
  type TempDir,
  testAudioInput,
  u8,
  u32,
  u64,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChapterListBox, findBox, parseBoxes } from '../src/index.js';
import { expectRoundTrip } from './helpers/roundTrip.js';

let temp: TempDir;
beforeAll(async () => {
  temp = await makeTempDir('fmp4-boxes-chpl-');
});
afterAll(() => temp?.remove());

const title = (text: string) => [...new TextEncoder().encode(text)];

describe('chpl', () => {
  it("ffmpeg's chapters, as ffprobe reads them", async () => {
    const metadata = join(temp.path, 'chapters.txt');
    await writeFile(
      metadata,
      [
        ';FFMETADATA1',
        '[CHAPTER]',
        'TIMEBASE=1/1000',
        'START=0',
        'END=1500',
        'title=Intro',
        '[CHAPTER]',
        'TIMEBASE=1/1000',
        'START=1500',
        'END=3000',
        'title=Über alles ©',
        '',
      ].join('\n'),
    );
    const file = join(temp.path, 'chapters.mp4');
    await runFfmpeg([
      // The tone last: its `-t` is an output option.
      ...['-v', 'error', '-i', metadata, ...testAudioInput({ seconds: 3 })],
      ...['-map', '1:a', '-map_metadata', '0', '-map_chapters', '0', '-c:a', 'aac', file],
    ]);
    const input = new Uint8Array(await readFile(file));
    expectRoundTrip(input);
    const chpl = findBox(parseBoxes(input), 'moov/udta/chpl') as ChapterListBox | undefined;
    expect(chpl).toBeDefined();
    const probed = await ffprobeJson<{ chapters: { start_time: string; tags: { title: string } }[] }>(file, [
      '-show_chapters',
    ]);
    // chpl start_time is in 100 ns units.
    expect(chpl!.chapters.map((c) => ({ start: Number(c.startTime) / 1e7, title: c.title }))).toEqual(
      probed.chapters.map((c) => ({ start: Number(c.start_time), title: c.tags.title })),
    );
    expect(chpl!.chapters.map((c) => c.title)).toEqual(['Intro', 'Über alles ©']);
  });

  it('version 1 and version 0 literals, a title that is not UTF-8 written back as read', () => {
    const v1 = bytes(
      fullBox(
        'chpl',
        1,
        0,
        u32(0), // reserved
        u8(2), // chapter_count
        u64(0), // start_time
        u8(5), // title_length
        title('Start'), // title
        u64(600_000_000), // start_time: 60 s
        u8(2), // title_length
        u8(0xff, 0x41), // title: not UTF-8
      ),
    );
    expectRoundTrip(v1);
    const box = parseBoxes(v1)[0] as ChapterListBox;
    expect(box).toMatchObject({ version: 1, reserved: 0 });
    expect(box.chapters[0]).toEqual({ startTime: 0, title: 'Start' });
    expect(box.chapters[1]).toMatchObject({ startTime: 600_000_000, title: '\ufffdA' });
    expect(box.chapters[1]!.titleBytes).toEqual(new Uint8Array([0xff, 0x41]));

    const v0 = bytes(
      fullBox(
        'chpl',
        0,
        0,
        u8(1), // chapter_count
        u64(10_000_000), // start_time: 1 s
        u8(3), // title_length
        title('One'), // title
      ),
    );
    expectRoundTrip(v0);
    expect(parseBoxes(v0)[0]).toMatchObject({
      version: 0,
      chapters: [{ startTime: 10_000_000, title: 'One' }],
    });
    expect((parseBoxes(v0)[0] as ChapterListBox).reserved).toBeUndefined();
  });
});
