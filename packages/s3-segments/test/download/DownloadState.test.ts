/**
 * The resume state is the whole state in one file, so it is written at
 * most once per interval while files keep coming (once per file made a
 * long window's downloads quadratic), and all of it when flushed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DownloadState,
  downloadStateFile,
  STATE_WRITE_INTERVAL_MS,
} from '../../src/download/DownloadState.js';

let tmp: TempDir;
beforeAll(async () => {
  tmp = await makeTempDir();
});
afterAll(async () => {
  await tmp?.remove();
});

describe('DownloadState', () => {
  it('writes at most once per interval while entries keep coming, and every entry on flush', async () => {
    const state = await DownloadState.load(tmp.path, 'cams');
    const started = performance.now();
    for (let i = 0; i < 400; i++) {
      state.record(`cam/00/audio/${i}.wav`, { size: i, etag: `"${i}"`, path: `audio/${i}.wav` });
      await sleep(1);
    }
    const elapsed = performance.now() - started;
    await state.flush();
    // One write at the first entry, then one per interval at most (the last one by flush).
    expect(state.writes).toBeGreaterThanOrEqual(2);
    expect(state.writes).toBeLessThanOrEqual(Math.ceil(elapsed / STATE_WRITE_INTERVAL_MS) + 2);

    const onDisk = JSON.parse(await readFile(join(tmp.path, downloadStateFile), 'utf8')) as {
      files: Record<string, unknown>;
    };
    expect(Object.keys(onDisk.files)).toHaveLength(400);
    const reloaded = await DownloadState.load(tmp.path, 'cams');
    expect(reloaded.get('cam/00/audio/399.wav')).toEqual({ size: 399, etag: '"399"', path: 'audio/399.wav' });
  });

  it('flush writes what came during the pause between two writes', async () => {
    const state = await DownloadState.load(tmp.path, 'other');
    state.record('a', { size: 1, path: 'a' });
    state.record('b', { size: 2, path: 'b' });
    await sleep(5); // the first write is done or under way; 'c' comes during the pause
    state.record('c', { size: 3, path: 'c' });
    await state.flush();
    const onDisk = JSON.parse(await readFile(join(tmp.path, downloadStateFile), 'utf8')) as {
      bucket: string;
      files: Record<string, unknown>;
    };
    expect(onDisk.bucket).toBe('other');
    expect(Object.keys(onDisk.files).sort()).toEqual(['a', 'b', 'c']);
  });
});
