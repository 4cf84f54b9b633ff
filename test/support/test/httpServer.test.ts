import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import got, { type RequestError } from 'got';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Fault,
  type HttpTestServer,
  requestKey,
  type S3TestServer,
  s3ClientConfig,
  seededFault,
  startHttpServer,
  startS3Server,
} from '../src/index.js';

const body = Uint8Array.from({ length: 300_000 }, (_, i) => i % 251);
const noRetry = { retry: { limit: 0 }, throwHttpErrors: false } as const;

/** Reads a response body as it arrives; resolves with the bytes and the error that ended it, if any. */
function receive(
  url: string,
  timeoutMs?: number,
): Promise<{ bytes: Buffer; error: RequestError | undefined }> {
  const chunks: Buffer[] = [];
  const stream = got.stream(url, {
    retry: { limit: 0 },
    ...(timeoutMs === undefined ? {} : { timeout: { request: timeoutMs } }),
  });
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (error: RequestError) => resolve({ bytes: Buffer.concat(chunks), error }));
    stream.on('end', () => resolve({ bytes: Buffer.concat(chunks), error: undefined }));
  });
}

describe('HTTP test server (static files)', () => {
  let server: HttpTestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  const serve = async (fault: Fault) => {
    server = await startHttpServer({ files: { '/a': body }, faults: [{ path: '/a', fault }] });
    return `${server.url}/a`;
  };

  it('serves Range requests with 206, Content-Range and the right bytes', async () => {
    server = await startHttpServer({ files: { '/seg.m4s': body } });
    const full = await got(`${server.url}/seg.m4s`, { ...noRetry, responseType: 'buffer' });
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-length']).toBe(String(body.length));
    const part = await got(`${server.url}/seg.m4s`, {
      ...noRetry,
      responseType: 'buffer',
      headers: { range: 'bytes=1000-1999' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${body.length}`);
    expect(part.body.equals(Buffer.from(body.subarray(1000, 2000)))).toBe(true);
    const open = await got(`${server.url}/seg.m4s`, { ...noRetry, headers: { range: 'bytes=299990-' } });
    expect(open.headers['content-length']).toBe('10');
    const beyond = await got(`${server.url}/seg.m4s`, { ...noRetry, headers: { range: 'bytes=400000-' } });
    expect(beyond.statusCode).toBe(416);
    expect(server.requests.map((r) => [r.method, r.path, r.range, r.status])).toEqual([
      ['GET', '/seg.m4s', undefined, 200],
      ['GET', '/seg.m4s', 'bytes=1000-1999', 206],
      ['GET', '/seg.m4s', 'bytes=299990-', 206],
      ['GET', '/seg.m4s', 'bytes=400000-', 416],
    ]);
  });

  it.each([404, 500, 503] as const)('injects status %i, then serves normally', async (status) => {
    server = await startHttpServer({
      files: { '/a': body },
      faults: [{ path: '/a', fault: { kind: 'status', status }, times: 1 }],
    });
    expect((await got(`${server.url}/a`, noRetry)).statusCode).toBe(status);
    expect((await got(`${server.url}/a`, { ...noRetry, responseType: 'buffer' })).body.length).toBe(
      body.length,
    );
    expect(server.requests.map((r) => r.fault)).toEqual(['status', undefined]);
  });

  it('resets the connection mid-body', async () => {
    const { bytes, error } = await receive(await serve({ kind: 'reset', afterBytes: 100_000 }));
    expect(error?.code).toMatch(/ECONNRESET|ERR_STREAM_PREMATURE_CLOSE/);
    expect(bytes.length).toBeLessThanOrEqual(100_000);
  });

  it('truncates the body under a full Content-Length', async () => {
    const { bytes, error } = await receive(await serve({ kind: 'truncate', afterBytes: 1234 }));
    expect(error).toBeInstanceOf(Error);
    expect(bytes.length).toBe(1234);
  });

  it('sends a short body under a Content-Length that matches it (half by default)', async () => {
    const url = await serve({ kind: 'short' });
    const response = await got(url, { ...noRetry, responseType: 'buffer' });
    expect(response.headers['content-length']).toBe(String(body.length / 2));
    expect(response.body.equals(Buffer.from(body.subarray(0, body.length / 2)))).toBe(true);
  });

  it('stalls the body after some bytes until the client gives up', async () => {
    const { bytes, error } = await receive(await serve({ kind: 'stall', afterBytes: 5000 }), 400);
    expect(error?.name).toBe('TimeoutError');
    expect(bytes.length).toBe(5000);
  });

  it('accepts a request and never answers', async () => {
    const started = performance.now();
    const { bytes, error } = await receive(await serve({ kind: 'hang' }), 300);
    expect(error?.name).toBe('TimeoutError');
    expect(bytes.length).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(server?.requests[0]).toMatchObject({ fault: 'hang', status: 0 });
  });

  it('flips one byte', async () => {
    const response = await got(await serve({ kind: 'corrupt', at: 70_000 }), {
      ...noRetry,
      responseType: 'buffer',
    });
    const differ = [...response.body.keys()].filter((i) => response.body[i] !== body[i]);
    expect(differ).toEqual([70_000]);
    expect(response.body[70_000]).toBe((body[70_000] ?? 0) ^ 0xff);
  });

  it('slows the body to the given rate, or delays the whole answer', async () => {
    server = await startHttpServer({
      files: { '/slow': body.subarray(0, 20_000), '/late': 'x' },
      faults: [
        { path: '/slow', fault: { kind: 'slow', bytesPerSecond: 40_000 } },
        { path: '/late', fault: { kind: 'delay', ms: 300 } },
      ],
    });
    let started = performance.now();
    const response = await got(`${server.url}/slow`, { ...noRetry, responseType: 'buffer' });
    expect(response.body.length).toBe(20_000);
    expect(performance.now() - started).toBeGreaterThan(400); // 20 kB at 40 kB/s
    started = performance.now();
    expect((await got(`${server.url}/late`, noRetry)).body).toBe('x');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('draws the same faults from the same seed, keyed by method, path and query', async () => {
    const plan = {
      seed: 42,
      probability: 0.5,
      kinds: [
        { kind: 'status', status: 503 },
        { kind: 'reset', afterBytes: 10 },
      ],
    } as const;
    const paths = Array.from({ length: 40 }, (_, i) => `/seg-${i}.m4s`);
    const first = paths.map((path) => seededFault(plan, requestKey('GET', path), 0)?.kind);
    expect(paths.map((path) => seededFault(plan, requestKey('GET', path), 0)?.kind)).toEqual(first);
    expect(first.filter(Boolean).length).toBeGreaterThan(10);
    expect(first.filter(Boolean).length).toBeLessThan(30);
    // Past maxPerPath attempts, every request is served.
    expect(paths.map((path) => seededFault(plan, requestKey('GET', path), 2))).toEqual(
      paths.map(() => undefined),
    );

    const files = Object.fromEntries(paths.map((path) => [path, body.subarray(0, 100)]));
    server = await startHttpServer({ files, seeded: plan });
    const outcome = (path: string) =>
      got(`${server!.url}${path}`, noRetry).then(
        (response) => (response.statusCode === 503 ? 'status' : undefined),
        () => 'reset',
      );
    // In reverse order, concurrently: the draws depend on the request, not on when it came.
    const observed = await Promise.all([...paths].reverse().map(outcome));
    expect(observed.reverse()).toEqual(first);
  });

  it('limits seeded faults to some methods', async () => {
    server = await startHttpServer({
      files: { '/a': body },
      seeded: { seed: 1, probability: 1, kinds: [{ kind: 'status', status: 500 }], methods: ['HEAD'] },
    });
    expect((await got(`${server.url}/a`, noRetry)).statusCode).toBe(200);
    expect((await got.head(`${server.url}/a`, noRetry)).statusCode).toBe(500);
  });
});

describe('HTTP test server as a proxy in front of the S3 server', () => {
  let s3: S3TestServer;
  let proxy: HttpTestServer | undefined;
  let client: S3Client | undefined;
  const bucket = 'proxied';
  const object = Buffer.from(body);

  beforeAll(async () => {
    s3 = await startS3Server();
    await s3.createBucket(bucket);
    await s3.putObjects(bucket, [['cam/00/video/1700000000.h264', object]]);
  });
  afterAll(() => s3.stop());
  afterEach(async () => {
    client?.destroy();
    await proxy?.stop();
    proxy = undefined;
  });

  const through = async (faults: readonly { fault: Fault; times?: number }[]) => {
    proxy = await startHttpServer({
      upstream: s3.endpoint,
      faults: faults.map((rule) => ({
        path: `/${bucket}/cam/00/video/1700000000.h264`,
        method: 'GET',
        ...rule,
      })),
    });
    client = new S3Client({ ...s3ClientConfig(proxy.url), maxAttempts: 1 });
    return client.send(new GetObjectCommand({ Bucket: bucket, Key: 'cam/00/video/1700000000.h264' }));
  };

  it('passes requests and answers through unchanged', async () => {
    const response = await through([]);
    expect(Buffer.from(await response.Body!.transformToByteArray()).equals(object)).toBe(true);
    expect(proxy?.requests).toMatchObject([
      { method: 'GET', path: `/${bucket}/cam/00/video/1700000000.h264`, status: 200, fault: undefined },
    ]);
    expect(proxy?.requests[0]?.search).toContain('x-id=GetObject');
  });

  it('answers a status fault with an S3 error document the SDK reads', async () => {
    await expect(through([{ fault: { kind: 'status', status: 503 } }])).rejects.toMatchObject({
      name: 'SlowDown',
      $metadata: { httpStatusCode: 503 },
    });
    await expect(
      through([{ fault: { kind: 'status', status: 403, code: 'AccessDenied' } }]),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });

  it('damages the upstream body: truncated under its Content-Length, or flipped', async () => {
    const truncated = await through([{ fault: { kind: 'truncate' } }]);
    expect(truncated.ContentLength).toBe(object.length);
    await expect(truncated.Body!.transformToByteArray()).rejects.toThrow();
    const corrupt = await through([{ fault: { kind: 'corrupt' } }]);
    const bytes = Buffer.from(await corrupt.Body!.transformToByteArray());
    expect(bytes.length).toBe(object.length);
    expect(bytes[0]).toBe((object[0] ?? 0) ^ 0xff);
    expect(bytes.subarray(1).equals(object.subarray(1))).toBe(true);
  });
});

describe('HTTP test server as a proxy: a client that leaves', () => {
  let upstream: Server;
  let proxy: HttpTestServer;
  /** Paths the upstream was asked for, and the upstream answers the client's leaving closed. */
  const asked: string[] = [];
  const dropped: string[] = [];
  /** Connections open at the upstream (a Node server waits for each on close). */
  const connections = () => new Promise<number>((resolve) => upstream.getConnections((_, n) => resolve(n)));

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.once('close', () => {
        if (!res.writableEnded) dropped.push(req.url ?? '');
      });
      if (req.url !== '/never') res.end('upstream body');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  });
  beforeEach(async () => {
    const { port } = upstream.address() as AddressInfo;
    proxy = await startHttpServer({
      upstream: `http://127.0.0.1:${port}`,
      faults: [{ path: '/delayed', fault: { kind: 'delay', ms: 300 } }],
    });
  });
  afterEach(() => proxy.stop());
  afterAll(() => new Promise((resolve) => upstream.close(resolve)));

  /** A GET through the proxy that the client gives up after `ms`. */
  const leaveAfter = (path: string, ms: number) =>
    new Promise<void>((resolve) => {
      const client = request(`${proxy.url}${path}`, { agent: false });
      client.on('error', () => resolve());
      client.end();
      setTimeout(() => client.destroy(), ms);
    });
  const until = async (check: () => Promise<boolean>) => {
    for (let tries = 0; tries < 200 && !(await check()); tries++) await sleep(10);
  };

  it('during a delay: nothing goes to the upstream, not even a connection', async () => {
    await leaveAfter('/delayed', 50);
    await sleep(500); // the delay is over
    expect(asked).not.toContain('/delayed');
    // A connection opened for a request never sent: a Node server's close() waits for it forever.
    expect(await connections()).toBe(0);
    expect(proxy.requests.find((record) => record.path === '/delayed')).toMatchObject({ status: 0 });
  });

  it('while the upstream answers: the upstream request is dropped too', async () => {
    await leaveAfter('/never', 100);
    await until(async () => dropped.includes('/never'));
    expect(asked).toContain('/never');
    expect(dropped).toEqual(['/never']);
  });

  it('leaves no connection to the upstream once stopped (kept-alive ones included)', async () => {
    await until(async () => (await connections()) === 0);
    const { port } = upstream.address() as AddressInfo;
    const own = await startHttpServer({ upstream: `http://127.0.0.1:${port}` });
    const answered = await got(`${own.url}/plain`, noRetry);
    expect(answered.body).toBe('upstream body');
    expect(await connections()).toBe(1); // kept alive by the proxy
    await own.stop();
    await until(async () => (await connections()) === 0);
    expect(await connections()).toBe(0);
  });
});
