import { access, mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
import { FfmpegStep, writeFfmpegWrapper } from './helpers/ffmpegWrapper.js';
import { files, treeObjects } from './helpers/media.js';
import { runCli } from './helpers/runCli.js';
import { type SpawnedCli, spawnCli } from './helpers/spawnCli.js';

const E0 = 1_700_000_000;
const bucket = 'cams';
const prefix = 'recordings/cam09';
const count = 15;
const windowArgs = ['--start', String(E0 + 1.5), '--end', String(E0 + 2 * count - 0.5)];

/** Polls `check` until it holds; fails if the run ends first (the kill point was never reached). */
async function until(run: SpawnedCli, what: string, check: () => Promise<boolean>): Promise<void> {
  let ended = false;
  void run.exited.then(() => {
    ended = true;
  });
  const deadline = Date.now() + 45_000;
  while (!(await check())) {
    if (ended) throw new Error(`The run ended before ${what}:\n${run.stderr()}`);
    if (Date.now() > deadline) throw new Error(`No ${what} within 45 s:\n${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Downloads a re-run can reuse: the files recorded in the resume states
 * (`segments/<kind>/.rec-download.json`) of the job directories under
 * `temp`. A file is recorded a moment after it is renamed into place, so
 * files on disk can run ahead of these.
 */
async function downloadedFiles(temp: string): Promise<number> {
  let found = 0;
  for (const job of await readdir(temp).catch(() => [])) {
    const segments = join(temp, job, 'segments');
    if (!job.startsWith('rec-recorder-') || !(await exists(segments))) continue;
    for await (const file of files(segments)) {
      if (!file.endsWith('/.rec-download.json')) continue;
      const state = await readFile(file, 'utf8').then(
        (text) => JSON.parse(text) as { files?: Record<string, unknown> },
        () => ({ files: {} }), // being replaced: read again at the next poll
      );
      found += Object.keys(state.files ?? {}).length;
    }
  }
  return found;
}

describe('recorder killed with -9, then the same command again: the clean bytes, nothing left over', () => {
  let s3: S3TestServer;
  let proxy: HttpTestServer;
  let dir: TempDir;
  let clean: Buffer;
  /** The command of one job, against `endpoint`, writing `output`, with its temp dir. */
  const command = (endpoint: string, output: string, temp: string) => [
    ...['--bucket', bucket, '--prefix', prefix, '--endpoint', endpoint, '--force-path-style'],
    ...windowArgs,
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
    // 30 GETs, 2 at a time, 150 ms each: a download of about 2 s, long enough to be killed in.
    proxy = await startHttpServer({
      upstream: s3.endpoint,
      faults: [{ path: /\/00\/(video|audio)\//, method: 'GET', fault: { kind: 'delay', ms: 150 } }],
    });
    const output = join(dir.path, 'clean', 'out.mp4');
    const run = await runCli(command(s3.endpoint, output, join(dir.path, 'clean-tmp')));
    expect(run.stderr.split('\n').filter((line) => line.startsWith('recorder:'))).toEqual([]);
    expect(run.stderr).not.toContain('AWS SDK');
    expect(run.code).toBe(0);
    clean = await readFile(output);
  }, 120_000);
  afterAll(async () => {
    // Before s3rver: the proxy's stop closes its connections to it (a GET the killed run left in
    // the proxy's `delay` once held one open, and s3rver's close with it).
    await proxy?.stop();
    await s3?.stop();
    await dir?.remove();
  });

  /** The same command again, to the end: the clean recording, and nothing else in either directory. */
  async function rerun(args: string[], output: string, temp: string) {
    const run = await runCli([...args, '--json']);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('recorder:'))).toEqual([]);
    expect(run.code).toBe(0);
    expect((await readFile(output)).equals(clean)).toBe(true);
    expect(await readdir(dirname(output))).toEqual(['out.mp4']);
    expect(await readdir(temp)).toEqual([]);
    return JSON.parse(run.stdout) as { bytes: { downloaded: number; reused: number } };
  }

  it('during the download: the re-run reuses the verified downloads', async () => {
    const output = join(dir.path, 'download', 'out.mp4');
    const temp = join(dir.path, 'download-tmp');
    const args = command(proxy.url, output, temp);
    const killed = spawnCli(args);
    await until(killed, 'four recorded downloads', async () => (await downloadedFiles(temp)) >= 4);
    killed.kill9();
    expect((await killed.exited).signal).toBe('SIGKILL');
    // Progress lines only: the SDK's Node-version notice is the CLI's to hide.
    expect(killed.stderr()).not.toContain('AWS SDK');
    const onDisk = await downloadedFiles(temp);
    expect(onDisk).toBeLessThan(2 * count); // killed in the middle of the download

    const summary = await rerun(args, output, temp);
    expect(summary.bytes.reused).toBeGreaterThan(0);
    expect(summary.bytes.downloaded).toBeGreaterThan(0);
  });

  it.each([
    ['the AAC encode', FfmpegStep.Encode],
    ['the MP4 mux, its part file written', FfmpegStep.Mux],
  ])('during %s', async (_, step) => {
    const name = step === FfmpegStep.Mux ? 'mux' : 'encode';
    const output = join(dir.path, name, 'out.mp4');
    const temp = join(dir.path, `${name}-tmp`);
    const bin = join(dir.path, `${name}-bin`);
    await mkdir(bin);
    const signalFile = join(bin, 'holding');
    // Same command; the killed run's ffmpeg (from the environment) holds in that step until killed.
    const ffmpeg = await writeFfmpegWrapper(bin, { holdAfter: { step, seconds: 60, signalFile } });
    const args = command(s3.endpoint, output, temp);
    const killed = spawnCli(args, { FFMPEG_PATH: ffmpeg });
    await until(killed, `ffmpeg's ${name}`, () => exists(signalFile));
    if (step === FfmpegStep.Mux) {
      // What broke the next run before: a part file of the output beside it (the run's own
      // `<output>.<random>.part`, and ffmpeg's part file of that).
      const beside = (await readdir(dirname(output))).filter((file) => file.endsWith('.part'));
      expect(beside).toHaveLength(2);
      expect(beside.every((file) => /^out\.mp4\.[0-9a-f]{8}\.part(\.part)?$/.test(file))).toBe(true);
    }
    killed.kill9();
    expect((await killed.exited).signal).toBe('SIGKILL');

    const summary = await rerun(args, output, temp);
    expect(summary.bytes.reused).toBeGreaterThan(0);
    if (step === FfmpegStep.Mux) expect(summary.bytes.downloaded).toBe(0);
  });
});
