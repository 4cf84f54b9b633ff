/**
 * Hostile S3 keys (issue 9): keys that try to leave the job directory
 * (`../`, an absolute-looking path), control characters, a key of 900
 * digits, names `.`/`..`. None is fetched as a segment, nothing is written
 * outside the job directory and the output, and the recording is byte for
 * byte the one of the same prefix without them. A stub S3 of our own holds
 * the keys as they are (s3rver rewrites `../` and can write outside its
 * directory).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultLayout, parseLayout } from '@rec/s3-segments';
import {
  makeTempDir,
  makeVideoSegments,
  type S3UploadStub,
  s3rverCredentials,
  startS3UploadStub,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordOptions, record } from '../src/index.js';
import { files } from './helpers/media.js';

const E0 = 1_700_000_000;
const camera = 'cam61';
const bucket = 'hostile';
const window = { start: E0, end: E0 + 6 };
const video = `${camera}/00/video/`;

describe('recorder: hostile keys beside the segments', () => {
  let dir: TempDir;
  let clean: S3UploadStub;
  let hostile: S3UploadStub;
  let outside: string;
  const hostileKeys: string[] = [];

  const source = (stub: S3UploadStub): RecordOptions['source'] => ({
    type: 's3',
    bucket,
    prefix: camera,
    endpoint: stub.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { ...s3rverCredentials },
  });

  beforeAll(async () => {
    dir = await makeTempDir();
    outside = join(dir.path, 'outside');
    const made = await makeVideoSegments({ dir: join(dir.path, 'media'), camera, startEpoch: E0, count: 3 });
    clean = await startS3UploadStub(bucket);
    hostile = await startS3UploadStub(bucket);
    for (const [i, file] of made.files.entries()) {
      const bytes = await readFile(file);
      clean.objects.set(`${video}${made.epochs[i]}.h264`, bytes);
      hostile.objects.set(`${video}${made.epochs[i]}.h264`, bytes);
    }
    const garbage = Buffer.from('not a segment\n'.repeat(64));
    hostileKeys.push(
      `${video}../../../../../../../../..${outside}/${E0 + 2}.h264`, // out of the job directory
      `${video}/${outside}/${E0 + 2}.h264`, // an absolute path after the directory
      `${video}..`,
      `${video}.`,
      `${video}${E0 + 2}.h264/..`,
      `${video}${E0 + 4}.h264\n`, // a control character after a valid name
      `${video}\t${E0 + 4}.h264`,
      `${video}${E0 + 4}\r.h264`,
      `${video}${'9'.repeat(900)}.h264`, // a 900-digit epoch
      `${video}${E0 + 4}.h264${'x'.repeat(900)}`,
    );
    for (const key of hostileKeys) hostile.objects.set(key, garbage);
  }, 60_000);
  afterAll(async () => {
    await clean?.stop();
    await hostile?.stop();
    await dir?.remove();
  });

  it.each([
    // StartAfter skips the keys that sort before the first epoch (`.`, `/`, tab): the other two list them.
    ['the default layout', 'default', defaultLayout],
    ['unsorted keys (the directory listed whole)', 'unsorted', parseLayout({ sortedKeys: false })],
    ['the legacy recursive scan', 'scan', parseLayout({ scan: 'prefix' })],
  ])(
    '%s: only the segments fetched, nothing written outside, the bytes of the clean prefix',
    async (_, name, layout) => {
      const reference = join(dir.path, `${name}-clean.ts`);
      const cleanTemp = join(dir.path, `${name}-tmp-clean`);
      await record({ source: source(clean), ...window, layout, output: reference, tempDir: cleanTemp });

      const output = join(dir.path, `${name}-hostile.ts`);
      const temp = join(dir.path, `${name}-tmp-hostile`);
      const summary = await record({
        source: source(hostile),
        ...window,
        layout,
        output,
        tempDir: temp,
        keepTemp: true,
      });
      expect(summary.segments).toEqual({ video: 3, audio: 0 });
      expect(summary.requests.GetObject).toBe(3);
      expect(summary.damaged).toEqual([]);
      expect((await readFile(output)).equals(await readFile(reference))).toBe(true);
      // The job directory holds the three segments (and its own state), nothing named by a hostile key.
      const kept: string[] = [];
      for await (const file of files(temp)) kept.push(file.slice(temp.length + 1));
      const segments = kept.filter((file) => file.endsWith('.h264')).map((file) => file.split('/').at(-1));
      expect(segments.sort()).toEqual([`${E0}.h264`, `${E0 + 2}.h264`, `${E0 + 4}.h264`]);
      expect(kept.every((file) => !/\p{Cc}/u.test(file))).toBe(true);
      await expect(readdir(outside)).rejects.toMatchObject({ code: 'ENOENT' });
      const made = [`${name}-clean.ts`, `${name}-hostile.ts`, `${name}-tmp-clean`, `${name}-tmp-hostile`];
      expect((await readdir(dir.path)).filter((entry) => entry.startsWith(`${name}-`)).sort()).toEqual(
        made.sort(),
      );
      expect(await readdir(dir.path)).not.toContain('outside');
      // Nothing of a hostile key reaches the summary.
      expect(JSON.stringify(summary)).not.toContain('not a segment');
      expect(JSON.stringify(summary)).not.toMatch(/\\[ntr]|\\u00|99999999/);
    },
    60_000,
  );
});
