import { randomBytes } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeTempDir, startHttpServer, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type DownloadPlanItem, downloadFiles, loadManifest } from '../src/index.js';

/**
 * What dashget's HTTP client keeps of got's behaviour, against a server of
 * our own (statuses with headers the harness does not send): Retry-After,
 * statuses not retried, redirects, the URL's credentials, no decompression,
 * timeouts, and no abort listener left on the caller's signal.
 */
const body = randomBytes(300_000);
const gzipped = gzipSync(Buffer.from('x'.repeat(50_000)));
interface Seen {
  path: string;
  at: number;
  headers: IncomingHttpHeaders;
}
const seen: Seen[] = [];
const answered = new Map<string, number>();
let base: string;
let work: TempDir;
let server: ReturnType<typeof createServer>;

const send = (res: ServerResponse, bytes: Uint8Array, headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-length': String(bytes.length), ...headers });
  res.end(bytes);
};

beforeAll(async () => {
  work = await makeTempDir('dashget-http-');
  server = createServer((req, res) => {
    const path = req.url ?? '';
    seen.push({ path, at: performance.now(), headers: req.headers });
    const count = (answered.get(path) ?? 0) + 1;
    answered.set(path, count);
    if (path === '/busy.m4s' && count === 1) {
      res.writeHead(429, { 'retry-after': '1', 'content-length': '4' });
      res.end('busy');
    } else if (path === '/missing.m4s') {
      res.writeHead(404, { 'content-length': '9' });
      res.end('not found');
    } else if (path === '/moved.m4s' || path === '/moved.mpd') {
      res.writeHead(302, { location: path === '/moved.mpd' ? '/dir/target.mpd' : '/target.m4s' });
      res.end();
    } else if (path === '/gzip.m4s') {
      send(res, gzipped, { 'content-encoding': 'gzip' });
    } else {
      send(res, body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await work?.remove();
});

const item = (path: string, localPath = path.slice(1)): DownloadPlanItem => ({
  url: `${base}${path}`,
  localPath,
  representationId: 'r',
  kind: 'media',
  segments: 1,
});

describe('the HTTP client', () => {
  it("waits a 429's Retry-After (1 s), then gets the file", async () => {
    const out = join(work.path, 'busy');
    const summary = await downloadFiles([item('/busy.m4s')], { outputDir: out, retryDelay: 1 });
    expect(summary.failed).toEqual([]);
    expect(Buffer.compare(await readFile(join(out, 'busy.m4s')), body)).toBe(0);
    const hits = seen.filter((s) => s.path === '/busy.m4s');
    expect(hits).toHaveLength(2);
    expect((hits[1]?.at ?? 0) - (hits[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a 404, and names its status', async () => {
    const out = join(work.path, 'missing');
    const summary = await downloadFiles([item('/missing.m4s')], { outputDir: out, retryDelay: 1 });
    expect(summary.failed).toMatchObject([{ reason: 'HTTP 404: Response code 404 (Not Found)' }]);
    expect(seen.filter((s) => s.path === '/missing.m4s')).toHaveLength(1);
  });

  it('follows redirects: the file is the target, a manifest resolves against its URL after them', async () => {
    const out = join(work.path, 'moved');
    const summary = await downloadFiles([item('/moved.m4s')], { outputDir: out });
    expect(summary.failed).toEqual([]);
    expect(Buffer.compare(await readFile(join(out, 'moved.m4s')), body)).toBe(0);
    const http = createHttpClient({ threads: 1, retries: 0, timeout: 5000, retryDelay: 1 });
    try {
      const manifest = await loadManifest(`${base}/moved.mpd`, { http });
      expect(manifest.url).toBe(`${base}/dir/target.mpd`);
    } finally {
      await http.close();
    }
  });

  it("sends the URL's user and password as Basic auth, and never shows them", async () => {
    const http = createHttpClient({ threads: 1, retries: 0, timeout: 5000, retryDelay: 1 });
    try {
      const manifest = await loadManifest(`${base.replace('://', '://user:hunter%2022@')}/auth.mpd`, {
        http,
      });
      expect(manifest.url).toBe(`${base}/auth.mpd`);
    } finally {
      await http.close();
    }
    const hit = seen.findLast((s) => s.path === '/auth.mpd');
    expect(hit?.headers.authorization).toBe(`Basic ${Buffer.from('user:hunter 22').toString('base64')}`);
  });

  it('saves a gzip body as served (no decompression, no Accept-Encoding sent)', async () => {
    const out = join(work.path, 'gzip');
    const summary = await downloadFiles([item('/gzip.m4s')], { outputDir: out });
    expect(summary.failed).toEqual([]);
    expect(Buffer.compare(await readFile(join(out, 'gzip.m4s')), gzipped)).toBe(0);
    expect(seen.findLast((s) => s.path === '/gzip.m4s')?.headers['accept-encoding']).toBeUndefined();
  });

  it('leaves no abort listener on the caller’s signal after 60 files', async () => {
    const controller = new AbortController();
    const out = join(work.path, 'listeners');
    const items = Array.from({ length: 60 }, (_, i) => item(`/file-${i}.m4s`));
    const summary = await downloadFiles(items, { outputDir: out, threads: 4, signal: controller.signal });
    expect(summary.failed).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('timeouts', () => {
  it('a body that stalls is cut after `timeout` ms of silence and continued; one that always stalls fails with ETIMEDOUT', async () => {
    const media = await makeTempDir('dashget-stall-');
    const harness = await startHttpServer({
      files: { '/once.m4s': body, '/always.m4s': body },
      faults: [
        { path: '/once.m4s', fault: { kind: 'stall', afterBytes: 100_000 }, times: 1 },
        { path: '/always.m4s', fault: { kind: 'stall', afterBytes: 100_000 } },
      ],
    });
    try {
      const plan = (path: string): DownloadPlanItem => ({ ...item(path), url: `${harness.url}${path}` });
      const options = { outputDir: media.path, timeout: 300, retryDelay: 1, retries: 1 };
      const once = await downloadFiles([plan('/once.m4s')], options);
      expect(once.failed).toEqual([]);
      expect(Buffer.compare(await readFile(join(media.path, 'once.m4s')), body)).toBe(0);
      // The retry asked for the bytes after the 100 000 already written.
      expect(harness.requests.filter((r) => r.path === '/once.m4s').at(-1)?.range).toBe('bytes=100000-');
      const always = await downloadFiles([plan('/always.m4s')], options);
      expect(always.failed).toMatchObject([{ reason: "ETIMEDOUT: Timeout awaiting 'socket' for 300ms" }]);
      expect(harness.requests.filter((r) => r.path === '/always.m4s')).toHaveLength(2);
    } finally {
      await harness.stop();
      await media.remove();
    }
  });
});
