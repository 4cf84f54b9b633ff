import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBinary } from '../src/ffmpeg/resolveBinary.js';
import { MuxError, resolveFfmpeg, resolveFfprobe } from '../src/index.js';

describe('ffmpeg/ffprobe resolution', () => {
  let dir: string;
  let packaged: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rec-resolve-'));
    // The npm-shipped binary is always installed with @rec/mux.
    packaged = resolveFfmpeg({ env: {} }).path;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('falls back to the binary shipped in the npm package', () => {
    expect(resolveFfmpeg({ env: {} })).toEqual({ path: packaged, source: 'package' });
    expect(packaged).toContain('@ffmpeg-installer');
    expect(resolveFfprobe({ env: {} }).path).toContain('@ffprobe-installer');
  });

  it('prefers PATH over the package', async () => {
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await symlink(packaged, join(bin, 'ffmpeg'));
    expect(resolveFfmpeg({ env: { PATH: `/nonexistent:${bin}` } })).toEqual({
      path: join(bin, 'ffmpeg'),
      source: 'path',
    });
  });

  it('prefers FFMPEG_PATH over PATH', async () => {
    const copy = join(dir, 'my-ffmpeg');
    await copyFile(packaged, copy);
    expect(resolveFfmpeg({ env: { FFMPEG_PATH: copy, PATH: join(dir, 'bin') } })).toEqual({
      path: copy,
      source: 'env',
    });
  });

  it('prefers the explicit option over everything', () => {
    const copy = join(dir, 'my-ffmpeg');
    expect(resolveFfmpeg({ path: copy, env: { FFMPEG_PATH: '/nope', PATH: join(dir, 'bin') } })).toEqual({
      path: copy,
      source: 'option',
    });
  });

  it('rejects an explicit path that is not executable, naming it', async () => {
    const text = join(dir, 'not-a-binary');
    await writeFile(text, 'x');
    expect(() => resolveFfmpeg({ path: text })).toThrowError(/not an executable file: .*not-a-binary/);
  });

  it('names the four ways to provide ffmpeg when none exists', () => {
    let error: unknown;
    try {
      resolveBinary('ffmpeg', { env: { PATH: dir }, usePackaged: false });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MuxError);
    expect((error as MuxError).code).toBe('FFMPEG_NOT_FOUND');
    const message = (error as MuxError).message;
    expect(message).toContain('--ffmpeg');
    expect(message).toContain('FFMPEG_PATH');
    expect(message).toContain('PATH');
    expect(message).toContain('@ffmpeg-installer/ffmpeg');
  });
});
