import { join } from 'node:path';
import {
  ffmpegDecodeWarnings,
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  probe,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record } from '../src/index.js';

const E0 = 1_700_000_000;
const camera = 'recordings/cam05';

describe('recorder: H.265 (.h265) segments from a local directory', () => {
  let dir: TempDir;

  beforeAll(async () => {
    dir = await makeTempDir();
    await makeVideoSegments({ dir: dir.path, camera, startEpoch: E0, count: 4, codec: 'hevc', bframes: 3 });
    await makeAudioSegments({ dir: dir.path, camera, startEpoch: E0, count: 4 });
  }, 120_000);
  afterAll(async () => {
    await dir?.remove();
  });

  it('writes an MP4 with the HEVC stream-copied, exactly the window, decoding cleanly', async () => {
    const window = { start: E0 + 0.5, end: E0 + 7.1 };
    const output = join(dir.path, 'hevc.mp4');
    const summary = await record({
      source: { type: 'local', root: dir.path, prefix: camera },
      ...window,
      output,
      format: 'mp4',
    });
    expect(summary.segments).toEqual({ video: 4, audio: 4 });
    expect(summary.video?.codec).toBe('hevc');
    const probed = await probe(output);
    const video = probed.streams.find((stream) => stream.codec_type === 'video');
    expect(video?.codec_name).toBe('hevc');
    expect(Number(video?.start_time)).toBe(0);
    expect(probed.format.duration).toBe('6.600000'); // the window exactly
    expect(await ffmpegDecodeWarnings(output)).toBe('');
  }, 60_000);
});
