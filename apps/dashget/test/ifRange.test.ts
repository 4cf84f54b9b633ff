import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DownloadPlanItem, downloadFiles } from '../src/index.js';

/** A server with an ETag that honours Range and If-Range (RFC 9110 13.1.5) and sends its body in slow pieces. */
let body = randomBytes(400_000);
let etag = '"v1"';
const seen: IncomingHttpHeaders[] = [];
let server: Server;
let url: string;
let work: TempDir;

beforeAll(async () => {
  work = await makeTempDir('dashget-ifrange-');
  server = createServer(async (req, res) => {
    seen.push(req.headers);
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const start = range && (ifRange === undefined || ifRange === etag) ? Number(range[1]) : 0;
    const headers = { etag, 'content-length': body.length - start, 'accept-ranges': 'bytes' };
    if (start > 0)
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
    else res.writeHead(200, headers);
    for (let at = start; at < body.length && !res.destroyed; at += 20_000) {
      res.write(body.subarray(at, at + 20_000));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/media/file.mp4`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await work?.remove();
});

async function interrupted(out: string, item: DownloadPlanItem): Promise<number> {
  const controller = new AbortController();
  const run = downloadFiles([item], {
    outputDir: out,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.bytes >= 100_000) controller.abort(new Error('stop'));
    },
  });
  await expect(run).rejects.toThrow('stop');
  return (await stat(join(out, 'media/file.mp4.part'))).size;
}

describe('a part is continued with If-Range and the ETag of its first response', () => {
  const item = (): DownloadPlanItem => ({
    url,
    localPath: 'media/file.mp4',
    representationId: 'v',
    kind: 'media',
    segments: 1,
  });

  it('same ETag: 206 from the part size, bytes identical', async () => {
    const out = join(work.path, 'same');
    const partSize = await interrupted(out, item());
    seen.length = 0;
    const summary = await downloadFiles([item()], { outputDir: out });
    expect(summary).toMatchObject({ resumed: 1, failed: [], downloadedBytes: body.length - partSize });
    expect(seen[0]).toMatchObject({ range: `bytes=${partSize}-`, 'if-range': '"v1"' });
    expect((await readFile(join(out, 'media/file.mp4'))).equals(body)).toBe(true);
  });

  it('the resource changed (new ETag): the server answers 200 and the file is the new one, with a warning', async () => {
    const out = join(work.path, 'changed');
    await interrupted(out, item());
    body = randomBytes(300_000);
    etag = '"v2"';
    const summary = await downloadFiles([item()], { outputDir: out });
    expect(summary).toMatchObject({ failed: [], downloadedBytes: body.length });
    expect(summary.warnings.map((w) => w.code)).toEqual(['DASHGET_PART_RESTARTED']);
    expect((await readFile(join(out, 'media/file.mp4'))).equals(body)).toBe(true);
  });
});
