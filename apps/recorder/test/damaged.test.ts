/**
 * Damaged segments (issue 8): es-ts skips or cuts a damaged video segment
 * and mux a damaged audio chunk; the summary lists each one by key, with the
 * time it cost (`damaged`, text and `--json`), and `strict` fails instead.
 * A segment cut inside the one slice of its last picture only a decoder
 * tells (issue 9): ffmpeg decodes each segment's last picture first.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findLastPicture } from '@rec/es-ts/bitstream';
import {
  ffmpegDecodeWarnings,
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  probeFrames,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordOptions, record } from '../src/index.js';
import { runCli } from './helpers/runCli.js';

const E0 = 1_700_000_000;
const camera = 'cam31';
const window = { start: E0, end: E0 + 6 };
const key = (kind: 'video' | 'audio', at: number) =>
  `${camera}/00/${kind}/${E0 + at}.${kind === 'video' ? 'h264' : 'wav'}`;

describe('recorder: damaged (empty) segments in the summary', () => {
  let dir: TempDir;
  let media: string;
  let source: RecordOptions['source'];

  beforeAll(async () => {
    dir = await makeTempDir();
    media = join(dir.path, 'media');
    const video = await makeVideoSegments({ dir: media, camera, startEpoch: E0, count: 3 });
    const audio = await makeAudioSegments({ dir: media, camera, startEpoch: E0, count: 3 });
    // The middle video segment and the last WAV are empty (an upload that never got its bytes).
    await writeFile(video.files[1] as string, '');
    await writeFile(audio.files[2] as string, '');
    source = { type: 'local', root: media, prefix: camera };
  }, 60_000);
  afterAll(async () => {
    await dir?.remove();
  });

  it('lists the empty video segment and the empty audio one with the time each cost', async () => {
    const summary = await record({ source, ...window, output: join(dir.path, 'out.ts') });
    expect(summary.damaged).toHaveLength(2);
    const [video, audio] = summary.damaged;
    expect(video).toMatchObject({ kind: 'video', key: key('video', 2), reason: 'empty', start: E0 + 2 });
    expect(video?.end).toBe(E0 + 4);
    expect(video?.message).toContain(key('video', 2));
    expect(audio).toMatchObject({ kind: 'audio', key: key('audio', 4), reason: 'empty', start: E0 + 4 });
    expect(audio?.end).toBe(E0 + 6);
    expect(audio?.message).toContain(key('audio', 4));
  }, 60_000);

  it('the CLI names them in its text summary and in --json', async () => {
    const args = ['--source', media, '--prefix', camera, '--start', `${E0}`, '--end', `${E0 + 6}`];
    const text = await runCli([...args, '-o', join(dir.path, 'cli.ts')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `  damaged video ${key('video', 2)} empty: 2023-11-14T22:13:22.000Z .. 2023-11-14T22:13:24.000Z (2.000 s lost)`,
    );
    expect(text.stdout).toContain(
      `  damaged audio ${key('audio', 4)} empty: 2023-11-14T22:13:24.000Z .. 2023-11-14T22:13:26.000Z (2.000 s lost)`,
    );
    const json = await runCli([...args, '-o', join(dir.path, 'cli-json.ts'), '--json']);
    expect(json.code).toBe(0);
    const damaged = JSON.parse(json.stdout).damaged as { kind: string; key: string; reason: string }[];
    expect(damaged.map(({ kind, key, reason }) => [kind, key, reason])).toEqual([
      ['video', key('video', 2), 'empty'],
      ['audio', key('audio', 4), 'empty'],
    ]);
  }, 60_000);

  it('strict: the damaged video segment fails the recording, naming it; no output', async () => {
    const output = join(dir.path, 'strict.ts');
    await expect(record({ source, ...window, output, kinds: ['video'], strict: true })).rejects.toMatchObject(
      { code: 'ES_TRUNCATED', message: expect.stringContaining(key('video', 2)) },
    );
    await expect(readFile(output)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);

  it('strict: the empty audio chunk fails the recording, naming it', async () => {
    const output = join(dir.path, 'strict-audio.mp4');
    await expect(record({ source, ...window, output, kinds: ['audio'], strict: true })).rejects.toMatchObject(
      { code: 'WAV_INVALID', message: expect.stringContaining(key('audio', 4)) },
    );
  }, 60_000);
});

describe('recorder: a video segment cut inside the one slice of its last picture (issue 9)', () => {
  let dir: TempDir;
  let media: string;
  let source: RecordOptions['source'];
  /** Where the cut picture starts in the segment. */
  let cutPicture: number;

  beforeAll(async () => {
    dir = await makeTempDir();
    media = join(dir.path, 'media');
    const video = await makeVideoSegments({ dir: media, camera, startEpoch: E0, count: 3, bframes: 2 });
    await makeAudioSegments({ dir: media, camera, startEpoch: E0, count: 3 });
    // The first segment's upload stopped 30 % before the end of its last picture: no header says so.
    const bytes = await readFile(video.files[0] as string);
    const last = findLastPicture(bytes, 'h264')!;
    cutPicture = last.offset;
    await writeFile(video.files[0] as string, bytes.subarray(0, bytes.length - Math.floor(last.bytes * 0.3)));
    source = { type: 'local', root: media, prefix: camera };
  }, 60_000);
  afterAll(async () => {
    await dir?.remove();
  });

  it('drops that picture, lists the time it cost, and writes an MP4 that decodes without a word', async () => {
    const output = join(dir.path, 'out.mp4');
    const summary = await record({ source, ...window, output });
    expect(summary.damaged).toEqual([
      {
        kind: 'video',
        key: key('video', 0),
        reason: 'truncated',
        start: E0 + 1.96,
        end: E0 + 2,
        message: expect.stringMatching(
          new RegExp(
            `^${key('video', 0)} at byte ${cutPicture}: a decoder cannot decode its last picture whole \\(ffmpeg: .+\\): ` +
              'the segment was cut inside it or is damaged there; cut there \\(1 picture dropped\\): 0\\.040 s lost',
          ),
        ),
      },
    ]);
    expect(summary.warnings.map((w) => w.code)).toContain('ES_SEGMENT_CUT');
    expect(await ffmpegDecodeWarnings(output)).toBe('');
    expect(await probeFrames(output)).toHaveLength(149);
  }, 60_000);

  it('strict: the recording fails, naming the segment and the byte; no output', async () => {
    const output = join(dir.path, 'strict.mp4');
    await expect(record({ source, ...window, output, strict: true })).rejects.toMatchObject({
      code: 'ES_TRUNCATED',
      message: expect.stringContaining(`${key('video', 0)} at byte ${cutPicture}`),
    });
    await expect(readFile(output)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);
});
