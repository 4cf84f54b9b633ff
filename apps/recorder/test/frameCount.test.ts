/**
 * The summary's video frame count is what the output presents (the demo
 * said 1226 frames where ffprobe -count_frames found 1187 in its MP4: the
 * GOP head before the window and the reference frames after it, which the
 * edit list hides, were counted).
 */
import { join } from 'node:path';
import { makeTempDir, makeVideoSegments, probe, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordOptions, record } from '../src/index.js';

const E0 = 1_700_000_000;
const camera = 'cam51';
// Starts 1.3 s into a 2-s GOP and ends mid-GOP; B-frames, so references after `end` are kept.
const window = { start: E0 + 1.3, end: E0 + 5.5 };

describe('recorder: the summary counts the frames the output presents', () => {
  let dir: TempDir;
  let source: RecordOptions['source'];

  beforeAll(async () => {
    dir = await makeTempDir();
    const media = join(dir.path, 'media');
    await makeVideoSegments({ dir: media, camera, startEpoch: E0, count: 4, bframes: 2 });
    source = { type: 'local', root: media, prefix: camera };
  }, 60_000);
  afterAll(async () => {
    await dir?.remove();
  });

  it.each(['mp4', 'ts'] as const)(
    '%s: as ffprobe -count_frames counts them',
    async (format) => {
      const output = join(dir.path, `out.${format}`);
      const summary = await record({ source, ...window, output, kinds: ['video'] });
      const { streams } = await probe(output, { countFrames: true });
      const video = streams.find((stream) => stream.codec_type === 'video');
      expect(summary.video?.frames).toBe(Number(video?.nb_read_frames));
      if (format === 'mp4') {
        // 4.2 s at 25 fps: the window, not the samples stored around it.
        expect(summary.video?.frames).toBe(105);
        expect(Number(video?.nb_frames)).toBeGreaterThan(105);
      }
    },
    60_000,
  );
});
