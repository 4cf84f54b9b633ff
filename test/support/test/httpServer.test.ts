import got, { type RequestError } from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpTestServer, seededFault, startHttpServer } from '../src/index.js';

const body = Uint8Array.from({ length: 300_000 }, (_, i) => i % 251);
const noRetry = { retry: { limit: 0 }, throwHttpErrors: false } as const;

describe('HTTP test server', () => {
  let server: HttpTestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

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
  });

  it('resets the connection mid-body', async () => {
    server = await startHttpServer({
      files: { '/a': body },
      faults: [{ path: '/a', fault: { kind: 'reset', afterBytes: 100_000 } }],
    });
    const error = await got(`${server.url}/a`, noRetry).catch((e: RequestError) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as RequestError).code).toMatch(/ECONNRESET|ERR_STREAM_PREMATURE_CLOSE/);
  });

  it('truncates the body under a full Content-Length', async () => {
    server = await startHttpServer({
      files: { '/a': body },
      faults: [{ path: '/a', fault: { kind: 'truncate', afterBytes: 1234 } }],
    });
    let received = 0;
    const stream = got.stream(`${server.url}/a`, { retry: { limit: 0 } });
    const failure = await new Promise<Error | undefined>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      stream.on('error', resolve);
      stream.on('end', () => resolve(undefined));
    });
    expect(failure).toBeInstanceOf(Error);
    expect(received).toBe(1234);
  });

  it('slows the body to the given rate', async () => {
    server = await startHttpServer({
      files: { '/a': body.subarray(0, 20_000) },
      faults: [{ path: '/a', fault: { kind: 'slow', bytesPerSecond: 40_000 } }],
    });
    const started = performance.now();
    const response = await got(`${server.url}/a`, { ...noRetry, responseType: 'buffer' });
    const elapsed = performance.now() - started;
    expect(response.body.length).toBe(20_000);
    expect(elapsed).toBeGreaterThan(400); // 20 kB at 40 kB/s
  });

  it('draws the same faults from the same seed', async () => {
    const plan = {
      seed: 42,
      probability: 0.5,
      kinds: [
        { kind: 'status', status: 503 },
        { kind: 'reset', afterBytes: 10 },
      ],
    } as const;
    const paths = Array.from({ length: 40 }, (_, i) => `/seg-${i}.m4s`);
    const first = paths.map((path) => seededFault(plan, path, 0)?.kind);
    expect(paths.map((path) => seededFault(plan, path, 0)?.kind)).toEqual(first);
    expect(first.filter(Boolean).length).toBeGreaterThan(10);
    expect(first.filter(Boolean).length).toBeLessThan(30);
    // Past maxPerPath attempts, every request is served.
    expect(paths.map((path) => seededFault(plan, path, 2))).toEqual(paths.map(() => undefined));

    const files = Object.fromEntries(paths.map((path) => [path, body.subarray(0, 100)]));
    server = await startHttpServer({ files, seeded: plan });
    const observed: (string | undefined)[] = [];
    for (const path of paths) {
      const outcome = await got(`${server.url}${path}`, noRetry).then(
        (response) => (response.statusCode === 503 ? 'status' : undefined),
        () => 'reset',
      );
      observed.push(outcome);
    }
    expect(observed).toEqual(first);
  });
});
