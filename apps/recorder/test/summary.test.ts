/**
 * An MP4's summary comes from what the recorder wrote (issue 12: no second
 * pass over the file); `verify` reads it back with ffprobe. The numbers are
 * the same: durations of the movie and of each track, codecs, frames.
 */
import { join } from 'node:path';
import { probeRecording } from '@rec/mux';
import { makeAudioSegments, makeTempDir, makeVideoSegments, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordOptions, type RecordSummary, record } from '../src/index.js';
import { runCli } from './helpers/runCli.js';

const E0 = 1_700_000_000;
const camera = 'cam61';

const figures = (summary: RecordSummary) => ({
  durationSeconds: summary.durationSeconds,
  video: summary.video,
  audio: summary.audio,
});

describe('recorder: the MP4 summary from what was written', () => {
  let dir: TempDir;
  let source: RecordOptions['source'];

  beforeAll(async () => {
    dir = await makeTempDir();
    const media = join(dir.path, 'media');
    // 6 segments of 2 s with B-frames; audio E0+6 missing (silence).
    await makeVideoSegments({ dir: media, camera, startEpoch: E0, count: 6, bframes: 2 });
    await makeAudioSegments({ dir: media, camera, startEpoch: E0, count: 6, skip: [E0 + 6] });
    source = { type: 'local', root: media, prefix: camera };
  }, 60_000);
  afterAll(async () => {
    await dir?.remove();
  });

  it.each([
    ['video and audio', ['video', 'audio'], { start: E0 + 1.3, end: E0 + 10.7 }],
    ['video only', ['video'], { start: E0 + 0.5, end: E0 + 9.25 }],
    ['audio only', ['audio'], { start: E0 + 2.02, end: E0 + 11.5 }],
  ] as const)(
    '%s: what ffprobe reads with verify, and reads in the file',
    async (name, kinds, window) => {
      const output = join(dir.path, `${name.replaceAll(' ', '-')}.mp4`);
      const ours = await record({ source, ...window, kinds, output });
      expect(ours.timings.inspect).toBeUndefined();
      const probed = await probeRecording(output);
      const verified = await record({ source, ...window, kinds, output, verify: true });
      expect(verified.timings.inspect).toBeGreaterThan(0);
      expect(figures(ours)).toEqual(figures(verified));
      expect(ours.durationSeconds).toBe(probed.durationSeconds);
      const stream = (type: string) => probed.streams.find((candidate) => candidate.type === type);
      expect(ours.video?.durationSeconds).toBe(stream('video')?.durationSeconds);
      expect(ours.video?.codec).toBe(stream('video')?.codec);
      expect(ours.audio?.durationSeconds).toBe(stream('audio')?.durationSeconds);
      expect(ours.audio?.codec).toBe(stream('audio')?.codec);
      expect(ours.video === undefined).toBe(!(kinds as readonly string[]).includes('video'));
      expect(ours.audio === undefined).toBe(!(kinds as readonly string[]).includes('audio'));
    },
    120_000,
  );

  it('--verify on the CLI: the same JSON figures, with an inspect step', async () => {
    const args = [
      ...['--source', join(dir.path, 'media'), '--prefix', camera],
      ...['--start', String(E0 + 1.3), '--end', String(E0 + 10.7), '--json'],
    ];
    const plain = await runCli([...args, '-o', join(dir.path, 'cli.mp4')]);
    const verified = await runCli([...args, '-o', join(dir.path, 'cli-verified.mp4'), '--verify']);
    expect(plain.code).toBe(0);
    expect(verified.code).toBe(0);
    const [a, b] = [JSON.parse(plain.stdout), JSON.parse(verified.stdout)];
    expect(figures(a)).toEqual(figures(b));
    expect(a.timings.inspect).toBeUndefined();
    expect(b.timings.inspect).toBeGreaterThan(0);
  }, 120_000);
});
