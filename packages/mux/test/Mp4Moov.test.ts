/**
 * The MP4 patches on @rec/fmp4-boxes (issue 10): the boxes they rewrite go
 * back over their own bytes unchanged when nothing changes, only the
 * patched fields change otherwise, and an MP4 they cannot read is a
 * `MuxError` naming the file and the box.
 */
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeTestVideo, makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MuxError } from '../src/index.js';
import { clampMp4Duration } from '../src/output/clampMp4Duration.js';
import { readMp4Summary } from './helpers/mp4Boxes.js';

describe('clampMp4Duration on @rec/fmp4-boxes', () => {
  let dir: TempDir;
  let mp4: string;

  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-moov-');
    // faststart: moov before mdat; 3 s at 25 fps, with ffmpeg's edit list.
    mp4 = await encodeTestVideo(join(dir.path, 'in.mp4'), {
      seconds: 3,
      format: 'mp4',
      outputArgs: ['-movflags', '+faststart'],
    });
  }, 60_000);
  afterAll(async () => {
    await dir?.remove();
  });

  it('leaves every byte as it was when the presentation already fits', async () => {
    const copy = join(dir.path, 'same.mp4');
    await writeFile(copy, await readFile(mp4));
    const result = await clampMp4Duration(copy, { maxSeconds: 10 });
    expect(result.tracks.map((track) => [track.handler, track.clamped])).toEqual([['vide', false]]);
    expect((await readFile(copy)).equals(await readFile(mp4))).toBe(true);
  });

  it('changes only the durations when it shortens the presentation', async () => {
    const copy = join(dir.path, 'short.mp4');
    await writeFile(copy, await readFile(mp4));
    const before = await readMp4Summary(copy);
    const result = await clampMp4Duration(copy, { maxSeconds: 2 });
    expect(result.durationSeconds).toBe(2);
    const after = await readMp4Summary(copy);
    expect(after.mvhdDuration).toBe(2 * after.mvhdTimescale);
    expect(after.tracks[0]?.elst?.[0]?.[0]).toBe(2 * after.mvhdTimescale); // segment_duration
    expect(after.tracks[0]?.stts).toEqual(before.tracks[0]?.stts);
    // Same size, and outside the moov not a byte changed.
    const [a, b] = [await readFile(mp4), await readFile(copy)];
    expect(b.length).toBe(a.length);
    const differ = [...a.keys()].filter((i) => a[i] !== b[i]);
    expect(differ.length).toBeGreaterThan(0);
    expect(differ.length).toBeLessThanOrEqual(12); // mvhd, tkhd and elst durations: 4 bytes each
  });

  it('an MP4 it cannot read is a MuxError naming the file and the box', async () => {
    const cut = join(dir.path, 'cut.mp4');
    await writeFile(cut, await readFile(mp4));
    await truncate(cut, 200); // inside the moov (faststart: right after ftyp)
    const error = await clampMp4Duration(cut, { maxSeconds: 2 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MuxError);
    expect(error).toMatchObject({ code: 'FFMPEG_FAILED', file: cut });
    expect((error as MuxError).message).toMatch(
      new RegExp(`^${cut}: ffmpeg wrote an MP4 this step cannot read: .*moov`),
    );
  });
});
