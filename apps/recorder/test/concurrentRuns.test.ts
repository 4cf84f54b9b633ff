import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  type HttpTestServer,
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  type S3TestServer,
  startHttpServer,
  startS3Server,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordOptions, record } from '../src/index.js';
import { treeObjects } from './helpers/media.js';
import { type CliRun, runCli } from './helpers/runCli.js';

const E0 = 1_700_000_000;
const bucket = 'cams';
const prefix = 'recordings/cam11';
const count = 8;
const window = { start: E0 + 1.5, end: E0 + 2 * count - 0.5 };

/** The lines the recorder printed as errors (none on success). */
const errors = (run: CliRun) => run.stderr.split('\n').filter((line) => line.startsWith('recorder:'));

describe('recorder: two runs of the same window at once', () => {
  let s3: S3TestServer;
  let proxy: HttpTestServer;
  let dir: TempDir;
  let source: RecordOptions['source'];
  let clean: Buffer;
  const command = (output: string, temp: string) => [
    ...['--bucket', bucket, '--prefix', prefix, '--endpoint', proxy.url, '--force-path-style'],
    ...['--start', String(window.start), '--end', String(window.end)],
    ...['-o', output, '--temp-dir', temp, '--concurrency', '2'],
  ];

  beforeAll(async () => {
    s3 = await startS3Server();
    dir = await makeTempDir();
    const media = join(dir.path, 'media');
    await makeVideoSegments({ dir: media, camera: prefix, startEpoch: E0, count, bframes: 3 });
    await makeAudioSegments({ dir: media, camera: prefix, startEpoch: E0, count });
    await s3.createBucket(bucket);
    await s3.putObjects(bucket, await treeObjects(media));
    // Slow GETs keep both runs downloading into the same temp dir at the same time.
    proxy = await startHttpServer({
      upstream: s3.endpoint,
      faults: [{ path: /\/00\/(video|audio)\//, method: 'GET', fault: { kind: 'delay', ms: 60 } }],
    });
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    source = { type: 's3', bucket, prefix, region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true };
    const output = join(dir.path, 'clean', 'out.mp4');
    await record({ source, ...window, output, format: 'mp4', tempDir: join(dir.path, 'clean-tmp') });
    clean = await readFile(output);
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
    await s3?.stop();
    await dir?.remove();
  });

  it('to the same output: both succeed, the output is the clean bytes, nothing left over', async () => {
    const output = join(dir.path, 'same', 'out.mp4');
    const temp = join(dir.path, 'same-tmp');
    const runs = await Promise.all([runCli(command(output, temp)), runCli(command(output, temp))]);
    expect(runs.map(errors)).toEqual([[], []]);
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    expect((await readFile(output)).equals(clean)).toBe(true);
    expect(await readdir(dirname(output))).toEqual(['out.mp4']);
    expect(await readdir(temp)).toEqual([]);
  });

  it('to two outputs: both succeed with the clean bytes', async () => {
    const outputs = ['a.mp4', 'b.mp4'].map((name) => join(dir.path, 'two', name));
    const temp = join(dir.path, 'two-tmp');
    const runs = await Promise.all(outputs.map((output) => runCli(command(output, temp))));
    expect(runs.map(errors)).toEqual([[], []]);
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    for (const output of outputs) expect((await readFile(output)).equals(clean), output).toBe(true);
    expect((await readdir(join(dir.path, 'two'))).sort()).toEqual(['a.mp4', 'b.mp4']);
    expect(await readdir(temp)).toEqual([]);
  });

  it('in one process: each call gets a job directory of its own; a later run reuses a kept one', async () => {
    const temp = join(dir.path, 'library-tmp');
    const output = join(dir.path, 'library', 'out.mp4');
    const options: RecordOptions = {
      source,
      ...window,
      output,
      format: 'mp4',
      tempDir: temp,
      keepTemp: true,
    };
    const [a, b] = await Promise.all([record(options), record(options)]);
    expect(a.tempDir).not.toBe(b.tempDir);
    expect([a.tempDir, b.tempDir].map((path) => basename(path)).sort()).toEqual([
      basename(a.tempDir).replace(/-2$/, ''),
      `${basename(a.tempDir).replace(/-2$/, '')}-2`,
    ]);
    expect((await readFile(output)).equals(clean)).toBe(true);
    // Both kept: the next run takes the first free one and downloads nothing.
    const again = await record({ ...options, keepTemp: false });
    expect(again.bytes.downloaded).toBe(0);
    expect((await readFile(output)).equals(clean)).toBe(true);
    expect((await readdir(temp)).length).toBe(1);
  });
});
