import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTestVideo, makeTempDir, probe, type TempDir } from '../src/index.js';

describe('ffprobe helpers', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => dir.remove());

  it('read a TS that ffmpeg wrote, SDT included (the static ffprobe used to crash in iconv)', async () => {
    const file = join(dir.path, 'with-sdt.ts');
    await encodeTestVideo(file, { size: '160x90', seconds: 1, format: 'mpegts' });
    const { streams, format } = await probe(file, { countFrames: true });
    expect(format.format_name).toBe('mpegts');
    expect(streams[0]?.codec_name).toBe('h264');
    expect(streams[0]?.nb_read_frames).toBe('25');
  });
});
