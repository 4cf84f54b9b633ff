import { access, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseMpd, resolveMpd } from '@rec/mpd';
import {
  type FaultRule,
  type HttpTestServer,
  makeTempDir,
  startHttpServer,
  type TempDir,
} from '@rec/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { downloadFiles, planDownload } from '../src/index.js';
import { listFiles, makeFfmpegDash } from './helpers/dashMedia.js';
import { runDashget, spawnDashget } from './helpers/runDashget.js';

let media: TempDir;
let work: TempDir;
let servers: HttpTestServer[] = [];

beforeAll(async () => {
  media = await makeTempDir('dashget-media-');
  work = await makeTempDir('dashget-out-');
  await Promise.all([makeFfmpegDash(media.path, 'number'), makeFfmpegDash(media.path, 'single')]);
}, 120_000);

afterEach(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  servers = [];
});

afterAll(async () => {
  await media?.remove();
  await work?.remove();
});

async function serve(faults: FaultRule[] = []): Promise<HttpTestServer> {
  const server = await startHttpServer({ root: media.path, faults });
  servers.push(server);
  return server;
}

/** The files of `out` (but the manifest) equal the served ones of `name`. */
async function expectServedBytes(name: string, out: string): Promise<string[]> {
  const files = (await listFiles(out)).filter(
    (file) => file !== 'manifest.mpd' && file !== '.dashget-resume.jsonl',
  );
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const [served, saved] = await Promise.all([
      readFile(join(media.path, name, file)),
      readFile(join(out, file)),
    ]);
    expect(saved.equals(served), file).toBe(true);
  }
  return files;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('faults of the harness server end in identical files', () => {
  it.each([
    ['503', { kind: 'status', status: 503 }],
    ['reset', { kind: 'reset' }],
    ['truncated', { kind: 'truncate' }],
    ['slow', { kind: 'slow', bytesPerSecond: 400_000 }],
  ] as const)('%s on some segments', async (name, fault) => {
    const server = await serve([
      { path: '/number/chunk-0-00002.m4s', fault, times: 2 },
      { path: '/number/init-1.m4s', fault, times: 1 },
      { path: '/number/chunk-1-00005.m4s', fault, times: 1 },
    ]);
    const out = join(work.path, `fault-${name}`);
    const run = await runDashget(`${server.url}/number/manifest.mpd`, '-o', out, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, files: 12, failed: [] });
    expect(await expectServedBytes('number', out)).toHaveLength(12);
    const hits = server.requests.filter((r) => r.path === '/number/chunk-0-00002.m4s');
    // A slow answer is no failure: it is waited for, not retried.
    expect(hits.filter((r) => r.fault === fault.kind)).toHaveLength(name === 'slow' ? 1 : 2);
    if (name === 'reset' || name === 'truncated') {
      // The retry continues after the bytes already written, not from the start.
      expect(hits.at(-1)?.range).toMatch(/^bytes=\d+-$/);
    }
    expect(await exists(join(out, '.dashget-resume.jsonl'))).toBe(false);
  });

  it('a segment that keeps failing: exit 1, the summary and the error line name it, the others are complete', async () => {
    const server = await serve([
      { path: '/number/chunk-1-00003.m4s', fault: { kind: 'status', status: 503 } },
    ]);
    const out = join(work.path, 'failing');
    const run = await runDashget(`${server.url}/number/manifest.mpd`, '-o', out, '--retries', '1');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/ {2}1: 5 segments, 6 files, [\d.]+ MB, 0 skipped, 0 resumed, 1 failed/);
    expect(run.stdout).toMatch(
      /FAILED chunk-1-00003\.m4s \(http:\/\/127\.0\.0\.1:\d+\/number\/chunk-1-00003\.m4s\): HTTP 503/,
    );
    expect(run.stderr).toMatch(
      /\ndashget: 1 of 12 files failed: chunk-1-00003\.m4s \(HTTP 503: .*\); re-run to retry them \[DASHGET_DOWNLOAD_FAILED\]\n$/,
    );
    expect(server.requests.filter((r) => r.path === '/number/chunk-1-00003.m4s')).toHaveLength(2);
    expect(await expectServedBytes('number', out)).toHaveLength(11);
    // A failed run keeps its resume journal for the next one.
    expect(await exists(join(out, '.dashget-resume.jsonl'))).toBe(true);

    // Under --json: one document, the summary with ok false and the error (one JSON.parse of stdout).
    const json = await runDashget(`${server.url}/number/manifest.mpd`, '-o', out, '--retries', '0', '--json');
    expect(json.code).toBe(1);
    const document = JSON.parse(json.stdout);
    expect(document).toMatchObject({
      ok: false,
      skipped: 11,
      failed: [expect.objectContaining({ localPath: 'chunk-1-00003.m4s' })],
      error: { code: 'DASHGET_DOWNLOAD_FAILED' },
    });
    expect(document.error.message).toMatch(/^1 of 12 files failed: chunk-1-00003\.m4s/);
  });
});

describe('resume', () => {
  it('after an abort: the part is kept, a later call continues it with a Range request, bytes identical', async () => {
    const server = await serve([
      { path: '/single/manifest-stream0.mp4', fault: { kind: 'slow', bytesPerSecond: 100_000 }, times: 1 },
    ]);
    const manifestUrl = `${server.url}/single/manifest.mpd`;
    const mpd = parseMpd(await readFile(join(media.path, 'single', 'manifest.mpd')), { url: manifestUrl });
    const plan = planDownload(await resolveMpd(mpd));
    const out = join(work.path, 'abort');
    const controller = new AbortController();
    const aborted = downloadFiles(plan, {
      outputDir: out,
      threads: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytes > 150_000) controller.abort(new Error('enough'));
      },
    });
    await expect(aborted).rejects.toThrow('enough');
    const part = join(out, 'manifest-stream0.mp4.part');
    const partSize = (await stat(part)).size;
    expect(partSize).toBeGreaterThan(0);
    expect(await exists(join(out, 'manifest-stream0.mp4'))).toBe(false);

    const summary = await downloadFiles(plan, { outputDir: out, threads: 2 });
    expect(summary).toMatchObject({ files: 2, failed: [], resumed: 1 });
    expect(server.requests.at(-1)?.range ?? server.requests.find((r) => r.range)?.range).toBeDefined();
    expect(server.requests.some((r) => r.range === `bytes=${partSize}-`)).toBe(true);
    expect(await exists(part)).toBe(false);
    await expectServedBytes('single', out);
  });

  it('after a SIGKILL of the CLI mid-transfer: the re-run finishes, files byte-identical, nothing partial under a final name', async () => {
    const slow = await serve([
      { path: /\/single\/manifest-stream\d\.mp4/, fault: { kind: 'slow', bytesPerSecond: 60_000 } },
    ]);
    const out = join(work.path, 'kill');
    const run = spawnDashget(`${slow.url}/single/manifest.mpd`, '-o', out, '-t', '2');
    const part = join(out, 'manifest-stream0.mp4.part');
    const deadline = Date.now() + 45_000;
    while (((await stat(part).catch(() => undefined))?.size ?? 0) < 60_000) {
      if (Date.now() > deadline) throw new Error('no part file grew within 45 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    run.kill9();
    await run.exited;
    expect(await exists(join(out, 'manifest-stream0.mp4'))).toBe(false);
    expect(await exists(join(out, 'manifest.mpd'))).toBe(false);
    const partSize = (await stat(part)).size;

    const server = await serve();
    const rerun = await runDashget(`${server.url}/single/manifest.mpd`, '-o', out, '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    // The journal names the kill's URL (another port): a part of another URL is started again, not continued.
    expect(JSON.parse(rerun.stdout)).toMatchObject({ ok: true, files: 2, failed: [] });
    expect(partSize).toBeGreaterThan(0);
    await expectServedBytes('single', out);
    expect((await listFiles(out)).some((file) => file.endsWith('.part'))).toBe(false);
  });
});
