import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  probe,
  probeFrames,
  type TempDir,
} from '../src/index.js';

describe('fixture generator', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => dir.remove());

  it.each([0, 3])('makes H.264 Annex-B segments with bframes=%i named by epoch', async (bframes) => {
    const made = await makeVideoSegments({
      dir: dir.path,
      camera: `cam-b${bframes}`,
      startEpoch: 1_700_000_000,
      count: 3,
      bframes,
      skip: [1_700_000_002],
    });
    expect(made.files.map((file) => basename(file))).toEqual(['1700000000.h264', '1700000004.h264']);
    expect(made.files[0]).toContain(`cam-b${bframes}/00/video/`);
    for (const file of made.files) {
      const { streams } = await probe(file, { countFrames: true });
      expect(streams[0]?.codec_name).toBe('h264');
      expect(streams[0]?.nb_read_frames).toBe('50'); // 2 s at 25 fps
      const frames = await probeFrames(file);
      expect(frames[0]?.pict_type).toBe('I');
      expect(frames.some((frame) => frame.pict_type === 'B')).toBe(bframes > 0);
    }
  });

  it('makes WAV chunks ffprobe reads with the expected duration', async () => {
    const made = await makeAudioSegments({ dir: dir.path, startEpoch: 1_700_000_000, count: 3 });
    expect(made.epochs).toEqual([1_700_000_000, 1_700_000_002, 1_700_000_004]);
    for (const file of made.files) {
      const { streams, format } = await probe(file);
      expect(streams[0]?.codec_name).toBe('pcm_s16le');
      expect(streams[0]?.sample_rate).toBe('48000');
      expect(Number(format.duration)).toBe(2);
      // RIFF header + 2 s of 16-bit mono at 48 kHz
      expect((await stat(file)).size).toBeGreaterThanOrEqual(192_000 + 44);
    }
  });
});
