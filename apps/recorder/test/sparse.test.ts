/**
 * Sparse prefixes (issue 9 item 5): gaps come from what the segments hold,
 * not from the spacing of their names, and a window that is mostly holes
 * is said so (and refused on request) before the expensive work.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ffmpegDecodeWarnings,
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  probe,
  probeFrames,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordOptions, record } from '../src/index.js';
import { FfmpegStep, writeFfmpegWrapper } from './helpers/ffmpegWrapper.js';
import { silences } from './helpers/media.js';
import { runCli } from './helpers/runCli.js';

const E0 = 1_700_000_000;
const camera = 'cam21';
const fps = 25;
/** Three 2-s segments of each kind in 30 minutes: at the start, in the middle, at the end. */
const starts = [0, 900, 1798];
const window = { start: E0, end: E0 + 1800 };
const key = (kind: 'video' | 'audio', at: number) =>
  `${camera}/00/${kind}/${E0 + at}.${kind === 'video' ? 'h264' : 'wav'}`;
/** The holes between the segments, as a user reads them off the summary. */
const holes = (kind: 'video' | 'audio') => [
  { kind, after: key(kind, 0), before: key(kind, 900), start: E0 + 2, end: E0 + 900, seconds: 898 },
  { kind, after: key(kind, 900), before: key(kind, 1798), start: E0 + 902, end: E0 + 1798, seconds: 896 },
];
const holeShare = (kind: string) => `99.7% holes for ${kind}: its segments cover 6.000 s of 1800.000 s`;
/** One warning for every kind that is mostly holes, in the order they were checked (the audio's plan comes first). */
const mostlyEmptyMessage = (...kinds: string[]) =>
  `Mostly empty: the window is ${kinds.map(holeShare).join('; ')}`;

describe('recorder: a sparse prefix, three 2-s segments over 30 minutes', () => {
  let dir: TempDir;
  let source: RecordOptions['source'];
  /** An ffmpeg that fails the AAC encode: a refusal that comes first never reaches it. */
  let failingEncode: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    const media = join(dir.path, 'media');
    for (const at of starts) {
      await makeVideoSegments({ dir: media, camera, startEpoch: E0 + at, count: 1 });
      await makeAudioSegments({ dir: media, camera, startEpoch: E0 + at, count: 1 });
    }
    source = { type: 'local', root: media, prefix: camera };
    const bin = join(dir.path, 'bin');
    await mkdir(bin);
    failingEncode = await writeFfmpegWrapper(bin, { failOn: FfmpegStep.Encode });
  }, 60_000);
  afterAll(async () => {
    await dir?.remove();
  });

  it('MP4: the gaps between the segments, a warning, and exactly 1,800 s with the frames where their epochs put them', async () => {
    const output = join(dir.path, 'sparse.mp4');
    const summary = await record({ source, ...window, output });
    expect(summary.gaps).toEqual([...holes('video'), ...holes('audio')]);
    // One warning per code (core's WarningLog), naming both kinds, counted twice.
    expect(summary.warnings).toEqual([
      { code: 'RECORDER_MOSTLY_EMPTY', message: mostlyEmptyMessage('audio', 'video'), count: 2 },
    ]);
    expect(summary.audio?.silenceSeconds).toBe(1794);

    const { format, streams } = await probe(output);
    const video = streams.find((stream) => stream.codec_type === 'video');
    const audio = streams.find((stream) => stream.codec_type === 'audio');
    expect(format.duration).toBe('1800.000000');
    expect(video?.duration).toBe('1800.000000');
    expect(audio?.duration).toBe('1800.000000');
    expect(video?.nb_frames).toBe('150');
    // Every picture at its segment's epoch: 50 frames at 0 s, 900 s and 1798 s.
    const [num = 1, den = 1] = (video?.time_base ?? '1/1').split('/').map(Number);
    const frames = (await probeFrames(output)).map((frame) =>
      Math.round((((frame.best_effort_timestamp ?? frame.pts ?? Number.NaN) * num) / den) * fps),
    );
    const expected = starts.flatMap((at) => Array.from({ length: 2 * fps }, (_, k) => at * fps + k));
    expect(frames.sort((a, b) => a - b)).toEqual(expected);
    expect(await ffmpegDecodeWarnings(output)).toBe('');
    // The audio holes are silence, where the summary says.
    const quiet = await silences(output);
    expect(quiet.map(({ start, end }) => [Math.round(start * 10) / 10, Math.round(end * 10) / 10])).toEqual([
      [2, 900],
      [902, 1798],
    ]);
  }, 120_000);

  it('refuses the window with maxHoleFraction before the audio is encoded', async () => {
    const output = join(dir.path, 'refused.mp4');
    const error = await record({
      source,
      ...window,
      output,
      maxHoleFraction: 0.5,
      ffmpegPath: failingEncode,
    }).then(
      () => undefined,
      (failure: Error & { code?: string }) => failure,
    );
    // An FFMPEG_FAILED would say the encode ran.
    expect(error?.code).toBe('RECORDER_SPARSE_WINDOW');
    expect(error?.message).toBe(
      'Refused: the window is 99.7% holes for audio: its segments cover 6.000 s of 1800.000 s, more than `maxHoleFraction` (0.5) allows',
    );
    await expect(stat(output)).rejects.toThrow();
  });

  it('--max-hole-fraction on the CLI: exit 1, one line with the code, no output', async () => {
    const output = join(dir.path, 'cli', 'refused.ts');
    const run = await runCli([
      ...['--source', join(dir.path, 'media'), '--prefix', camera, '--no-audio'],
      ...['--start', String(window.start), '--end', String(window.end), '-o', output],
      ...['--max-hole-fraction', '0.9', '--temp-dir', join(dir.path, 'cli-tmp')],
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('recorder:'))).toEqual([
      'recorder: Refused: the window is 99.7% holes for video: its segments cover 6.000 s of 1800.000 s, more than `maxHoleFraction` (0.9) allows [RECORDER_SPARSE_WINDOW]',
    ]);
    expect(await readdir(join(dir.path, 'cli'))).toEqual([]);
  });

  it('takes a window the segments fill up to maxHoleFraction', async () => {
    // [E0+898, E0+904): 2 s of the 6 s are the middle segment. The first segment is 898 s
    // before: further back than the listing looks for one covering the start (60 s), so the
    // first hole comes after nothing the recorder knows of.
    const summary = await record({
      source,
      start: E0 + 898,
      end: E0 + 904,
      output: join(dir.path, 'two-thirds.ts'),
      kinds: ['video'],
      maxHoleFraction: 0.7,
    });
    expect(summary.gaps).toEqual([
      {
        kind: 'video',
        after: null,
        before: key('video', 900),
        start: E0 + 898,
        end: E0 + 900,
        seconds: 2,
      },
      { kind: 'video', after: key('video', 900), before: null, start: E0 + 902, end: E0 + 904, seconds: 2 },
    ]);
    expect(summary.warnings).toEqual([
      {
        code: 'RECORDER_MOSTLY_EMPTY',
        message: 'Mostly empty: the window is 66.7% holes for video: its segments cover 2.000 s of 6.000 s',
        count: 1,
      },
    ]);
  });

  it('the CLI text summary says how many times a warning came', async () => {
    const run = await runCli([
      ...['--source', join(dir.path, 'media'), '--prefix', camera, '--format', 'ts'],
      ...['--start', String(E0 + 898), '--end', String(E0 + 904), '-o', join(dir.path, 'twice.ts')],
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((line) => line.startsWith('  warning'))).toEqual([
      '  warning RECORDER_MOSTLY_EMPTY: Mostly empty: the window is 66.7% holes for audio: its segments cover 2.000 s of 6.000 s; 66.7% holes for video: its segments cover 2.000 s of 6.000 s (x2)',
    ]);
  }, 60_000);

  it('--no-trim with a single segment of each kind: the window is the segment, from its content', async () => {
    const output = join(dir.path, 'single.mp4');
    const run = await runCli([
      ...['--source', join(dir.path, 'media'), '--prefix', camera, '--no-trim', '--json'],
      ...['--start', String(E0 + 900.5), '--end', String(E0 + 901), '-o', output],
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { window: { start: number; end: number }; gaps: unknown[] };
    expect(summary.window).toMatchObject({ start: E0 + 900, end: E0 + 902 });
    expect(summary.gaps).toEqual([]);
    const { format, streams } = await probe(output);
    expect(format.duration).toBe('2.000000');
    expect(streams.find((stream) => stream.codec_type === 'video')?.nb_frames).toBe(String(2 * fps));
    expect(await ffmpegDecodeWarnings(output)).toBe('');
  });
});
