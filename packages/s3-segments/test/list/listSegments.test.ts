import { type S3TestServer, s3rverCredentials, startHttpServer, startS3Server } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createS3Client,
  createS3Stats,
  type ListSegmentsOptions,
  listSegments,
  parseInstant,
  parseLayout,
  S3SegmentsError,
  type Segment,
  selectWindow,
} from '../../src/index.js';
import { logRequests } from '../helpers/requestLog.js';

const T = 1700000000;
const bucket = 'cams';
const range = <V>(count: number, map: (i: number) => V): V[] =>
  Array.from({ length: count }, (_, i) => map(i));

let s3: S3TestServer;

async function collect(options: Omit<ListSegmentsOptions, 'client' | 'bucket'>) {
  const stats = createS3Stats();
  const segments: Segment[] = [];
  for await (const segment of listSegments({ client: s3.client, bucket, stats, ...options }))
    segments.push(segment);
  return { segments, stats };
}

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket(bucket);
  const objects: [string, string][] = [];
  const put = (key: string) => objects.push([key, key.slice(-12)]);
  const cam = 'recordings/cam01';
  // 2,000 older segments of the same camera, before the window.
  for (const e of range(2000, (i) => T - 10_000 + 2 * i)) put(`${cam}/00/video/${e}.h264`);
  // 180 s around the window; T+40 is missing, T+60 was also uploaded as .264.
  for (const e of range(90, (i) => T + 2 * i)) if (e !== T + 40) put(`${cam}/00/video/${e}.h264`);
  put(`${cam}/00/video/${T + 60}.264`);
  for (const e of range(90, (i) => T + 2 * i)) put(`${cam}/00/audio/${e}.wav`);
  // 2,000 unrelated keys: other cameras (one whose name starts with cam01), other kinds, other streams.
  for (const e of range(500, (i) => T + 2 * i)) put(`recordings/cam02/00/video/${e}.h264`);
  for (const e of range(400, (i) => T + 2 * i)) put(`recordings/cam010/00/video/${e}.h264`);
  for (const e of range(400, (i) => T + 2 * i)) put(`${cam}/00/meta/${e}.json`);
  for (const e of range(300, (i) => T - 400 + 2 * i)) put(`${cam}/00/video/${e}.jpg`);
  for (const e of range(400, (i) => T + 2 * i)) put(`${cam}/01/video/${e}.h264`);
  // 1,200 millisecond-named segments, 0.5 s apart.
  for (const ms of range(1200, (i) => T * 1000 + 500 * i)) put(`recordings/cam99/00/video/${ms}.h264`);
  // A custom layout: seg_<epoch>_<n>.264 under streams/main, plus a playlist.
  for (const [i, e] of range(300, (i) => T - 600 + 2 * i).entries())
    put(`custom/cam07/streams/main/seg_${e}_${i}.264`);
  put('custom/cam07/streams/main/index.m3u8');
  // A dated layout, one segment every 30 s from 22:00 to 01:00 UTC.
  const dated = parseInstant('2023-11-14T22:00:00Z');
  for (const e of range(360, (i) => dated + 30 * i)) {
    const d = new Date(e * 1000).toISOString();
    const path = `${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(11, 13)}`;
    put(`recordings/cam05/${path}/00/video/${e}.h264`);
  }
  // Short epochs of varying width (seconds since the camera booted): keys do not sort by epoch.
  for (const e of range(57, (i) => 8 + 2 * i)) put(`small/00/video/${e}.h264`);
  await s3.putObjects(bucket, objects, 32);
}, 120_000);

afterAll(async () => {
  await s3?.stop();
});

describe('listSegments', () => {
  const window = { start: T + 25, end: T + 100 };
  const expectedVideo = [
    ...range(38, (i) => T + 24 + 2 * i)
      .filter((e) => e !== T + 40)
      .flatMap((e) => (e === T + 60 ? [`${e}.264`, `${e}.h264`] : [`${e}.h264`])),
  ].map((name) => `recordings/cam01/00/video/${name}`);
  const expectedAudio = range(38, (i) => `recordings/cam01/00/audio/${T + 24 + 2 * i}.wav`);

  it('lists only the window among 2,000 older segments and 2,000 unrelated keys, in 2 requests', async () => {
    const log = logRequests(s3.client);
    const { segments, stats } = await collect({ prefix: 'recordings/cam01', window });
    s3.client.middlewareStack.remove('testRequestLog');

    expect(segments.map((s) => s.key)).toEqual([...expectedVideo, ...expectedAudio]);
    expect(segments[0]).toMatchObject({ kind: 'video', epoch: T + 24, size: 12, codec: 'h264' });
    expect(segments[0]?.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(segments.at(-1)).toMatchObject({ kind: 'audio', epoch: T + 98, codec: 'pcm' });
    // One ListObjectsV2 per kind, each starting after the lookback, whatever lies before or around.
    expect(stats.requests).toEqual({ total: 2, ListObjectsV2: 2, GetObject: 0 });
    // Both kinds are listed at once: the order the requests left in is not fixed.
    expect(log.map((r) => [r.query.prefix, r.query['start-after']]).sort()).toEqual([
      ['recordings/cam01/00/audio/', `recordings/cam01/00/audio/${T + 25 - 60}`],
      ['recordings/cam01/00/video/', `recordings/cam01/00/video/${T + 25 - 60}`],
    ]);
    expect(stats.keysSkipped).toBeGreaterThan(0); // the .jpg thumbnails between the segments

    const selection = selectWindow(segments, window);
    expect(selection.segments.map((s) => s.key)).toEqual([...expectedVideo, ...expectedAudio]);
    expect(selection.gaps).toEqual([
      {
        kind: 'video',
        after: `recordings/cam01/00/video/${T + 38}.h264`,
        before: `recordings/cam01/00/video/${T + 42}.h264`,
        start: T + 40,
        end: T + 42,
        seconds: 2,
      },
    ]);
    expect(selection.overlaps).toEqual([
      {
        kind: 'video',
        after: `recordings/cam01/00/video/${T + 60}.264`,
        before: `recordings/cam01/00/video/${T + 60}.h264`,
        start: T + 60,
        end: T + 62,
        seconds: 2,
      },
    ]);
  });

  it('pads like the legacy script and still sends 2 requests', async () => {
    const { segments, stats } = await collect({
      prefix: 'recordings/cam01/',
      window,
      pad: 60,
      kinds: ['audio'],
    });
    // [T+25-60, T+100+60): nothing before T (a leading gap), nothing from T+160 on.
    expect(segments.map((s) => s.epoch)).toEqual(range(80, (i) => T + 2 * i));
    expect(stats.requests.ListObjectsV2).toBe(1);
  });

  it('gives the same segments with the legacy recursive scan, at the cost of listing the whole prefix', async () => {
    const layout = parseLayout({ scan: 'prefix' });
    const { segments, stats } = await collect({ prefix: 'recordings/cam01', window, layout });
    expect(segments.map((s) => s.key)).toEqual([...expectedVideo, ...expectedAudio]);
    expect(stats.keysListed).toBeGreaterThan(3000);
    expect(stats.requests.ListObjectsV2).toBe(4);
  });

  it('pages through more than 1,000 keys inside a window (millisecond names)', async () => {
    const { segments, stats } = await collect({
      prefix: 'recordings/cam99',
      window: { start: T + 1, end: T + 600 },
    });
    expect(segments).toHaveLength(1198);
    expect(segments[0]).toMatchObject({ key: `recordings/cam99/00/video/${T + 1}000.h264`, epoch: T + 1 });
    expect(segments[1]).toMatchObject({ key: `recordings/cam99/00/video/${T + 1}500.h264`, epoch: T + 1.5 });
    expect(segments.at(-1)?.epoch).toBe(T + 599.5);
    // video: 1,000 + 200 keys; audio: one empty page.
    expect(stats.requests.ListObjectsV2).toBe(3);
    const selection = selectWindow(segments, { start: T + 1, end: T + 600 });
    expect(selection.durations.video).toBe(0.5);
    expect(selection.gaps).toEqual([]);
  });

  it('stops paging at the end of the window', async () => {
    const { segments, stats } = await collect({
      prefix: 'recordings/cam99',
      window: { start: T + 10, end: T + 20 },
      kinds: ['video'],
      pageSize: 5,
    });
    expect(segments.map((s) => s.epoch)).toEqual(range(20, (i) => T + 10 + 0.5 * i));
    // 60 s lookback * 2 per second before the window = 120 keys + 20 in it, at 5 per page.
    expect(stats.requests.ListObjectsV2).toBe(Math.ceil((20 + 20 + 1) / 5));
  });

  it('reads a custom layout and epoch pattern', async () => {
    const layout = parseLayout({
      video: { directory: 'streams/main', extensions: ['.264'] },
      epochPattern: '^seg_(?<epoch>\\d{10})_\\d+\\.264$',
      namePrefix: 'seg_',
    });
    const { segments, stats } = await collect({
      prefix: 'custom/cam07',
      window: { start: T - 11, end: T - 4 },
      layout,
      kinds: ['video'],
    });
    expect(segments.map((s) => s.key)).toEqual([
      'custom/cam07/streams/main/seg_1699999988_294.264',
      'custom/cam07/streams/main/seg_1699999990_295.264',
      'custom/cam07/streams/main/seg_1699999992_296.264',
      'custom/cam07/streams/main/seg_1699999994_297.264',
    ]);
    expect(segments[0]?.codec).toBe('h264');
    expect(stats.requests.ListObjectsV2).toBe(1);
    expect(stats.keysListed).toBeLessThan(40);
  });

  it('sorts in memory when keys do not sort by epoch (epochs of varying width)', async () => {
    const layout = parseLayout({ epochPattern: '^(?<epoch>\\d+)\\.h264$', epochUnit: 's' });
    const { segments, stats } = await collect({ prefix: 'small', window: { start: 95, end: 105 }, layout });
    expect(segments.map((s) => s.epoch)).toEqual([94, 96, 98, 100, 102, 104]);
    expect(stats.requests.ListObjectsV2).toBe(2);
  });

  it('lists only the hour prefixes of a key template, across midnight', async () => {
    const layout = parseLayout({ video: { template: '{prefix}/{YYYY}/{MM}/{DD}/{HH}/00/video/' } });
    const start = parseInstant('2023-11-14T23:58:05Z');
    const end = parseInstant('2023-11-15T00:01:00Z');
    const log = logRequests(s3.client);
    const { segments, stats } = await collect({
      prefix: 'recordings/cam05',
      window: { start, end },
      layout,
      kinds: ['video'],
    });
    s3.client.middlewareStack.remove('testRequestLog');
    expect(segments.map((s) => new Date(s.epoch * 1000).toISOString().slice(11, 19))).toEqual([
      '23:58:00',
      '23:58:30',
      '23:59:00',
      '23:59:30',
      '00:00:00',
      '00:00:30',
    ]);
    expect(segments[4]?.key).toBe(
      `recordings/cam05/2023/11/15/00/00/video/${parseInstant('2023-11-15T00:00:00Z')}.h264`,
    );
    expect(stats.requests.ListObjectsV2).toBe(2);
    expect(log.map((r) => r.query.prefix).sort()).toEqual([
      'recordings/cam05/2023/11/14/23/00/video/',
      'recordings/cam05/2023/11/15/00/00/video/',
    ]);
  });

  it('lists the kinds and the hours of a template at once, in a fixed order', async () => {
    // Every listing answer comes 300 ms late: listings sent one after another would each wait for the last.
    const proxy = await startHttpServer({
      upstream: s3.endpoint,
      faults: [{ path: new RegExp(`^/${bucket}/?$`), method: 'GET', fault: { kind: 'delay', ms: 300 } }],
    });
    const client = createS3Client({
      endpoint: proxy.url,
      forcePathStyle: true,
      credentials: { ...s3rverCredentials },
    });
    try {
      const layout = parseLayout({
        video: { template: '{prefix}/{YYYY}/{MM}/{DD}/{HH}/00/video/' },
        audio: { template: '{prefix}/{YYYY}/{MM}/{DD}/{HH}/00/video/' },
      });
      const window = {
        start: parseInstant('2023-11-14T22:59:00Z'),
        end: parseInstant('2023-11-15T00:00:40Z'),
      };
      const stats = createS3Stats();
      const segments: Segment[] = [];
      for await (const segment of listSegments({
        client,
        bucket,
        prefix: 'recordings/cam05',
        window,
        layout,
        stats,
      }))
        segments.push(segment);
      // 2 kinds x 3 hours (22, 23, 00), all sent before the first answer came back.
      expect(proxy.requests).toHaveLength(6);
      const firstAnswer = Math.min(...proxy.requests.map((r) => r.finishedAt ?? Number.POSITIVE_INFINITY));
      expect(proxy.requests.every((r) => r.arrivedAt < firstAnswer)).toBe(true);
      // The same segments, in the same order, as one listing at a time from the server itself.
      const direct: Segment[] = [];
      for await (const segment of listSegments({
        client: s3.client,
        bucket,
        prefix: 'recordings/cam05',
        window,
        layout,
      }))
        direct.push(segment);
      expect(segments).toEqual(direct);
      expect(segments.filter((s) => s.kind === 'video').map((s) => s.epoch)).toEqual(
        range(126, (i) => parseInstant('2023-11-14T22:59:00Z') + 30 * i).filter(
          (e) => e < parseInstant('2023-11-15T00:00:40Z'),
        ),
      );
      expect(stats.requests.ListObjectsV2).toBe(6);
    } finally {
      client.destroy();
      await proxy.stop();
    }
  });

  it('lists 66 template directories under one caller signal without a MaxListenersExceededWarning', async () => {
    // 33 hours x 2 kinds: each listing in flight or queued once listened on the shared signal.
    const layout = parseLayout({
      video: { template: '{prefix}/{YYYY}/{MM}/{DD}/{HH}/00/video/' },
      audio: { template: '{prefix}/{YYYY}/{MM}/{DD}/{HH}/00/audio/' },
    });
    const window = {
      start: parseInstant('2023-11-14T00:00:00Z'),
      end: parseInstant('2023-11-15T07:59:00Z'),
    };
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const controller = new AbortController();
    const stats = createS3Stats();
    try {
      const segments: Segment[] = [];
      for await (const segment of listSegments({
        client: s3.client,
        bucket,
        prefix: 'recordings/cam05',
        window,
        layout,
        stats,
        signal: controller.signal,
      }))
        segments.push(segment);
      expect(stats.requests.ListObjectsV2).toBe(66); // 33 hours (the lookback adds one) x 2 kinds
      expect(segments).toHaveLength(360);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
  });

  it('names a missing bucket', async () => {
    const iterator = listSegments({ client: s3.client, bucket: 'no-such-bucket', prefix: 'x', window });
    const error = await iterator.next().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(S3SegmentsError);
    expect(error).toMatchObject({ code: 'NO_SUCH_BUCKET', bucket: 'no-such-bucket' });
    expect((error as Error).message).toContain('"no-such-bucket"');
  });

  it('reports an unknown access key id as INVALID_CREDENTIALS without the secret', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET';
    const client = createS3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAUNKNOWNKEY', secretAccessKey: secret },
      maxAttempts: 1,
    });
    try {
      const error = await listSegments({ client, bucket, prefix: 'recordings/cam01', window })
        .next()
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toMatchObject({ name: 'S3SegmentsError', code: 'INVALID_CREDENTIALS', bucket });
      expect((error as Error).message).toContain('InvalidAccessKeyId');
      expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(secret);
    } finally {
      client.destroy();
    }
    // The right key pair works through the same factory.
    const good = createS3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { ...s3rverCredentials },
    });
    const first = await listSegments({ client: good, bucket, prefix: 'recordings/cam01', window }).next();
    expect(first.value?.epoch).toBe(T + 24);
    good.destroy();
  });

  it('reports an unreachable endpoint as NETWORK', async () => {
    const client = createS3Client({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      forcePathStyle: true,
      credentials: { ...s3rverCredentials },
      maxAttempts: 1,
    });
    const error = await listSegments({ client, bucket, prefix: 'p', window })
      .next()
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    client.destroy();
    expect(error).toMatchObject({ code: 'NETWORK', bucket });
  });

  it('rejects with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('user abort');
    controller.abort(reason);
    const iterator = listSegments({
      client: s3.client,
      bucket,
      prefix: 'recordings/cam01',
      window,
      signal: controller.signal,
    });
    await expect(iterator.next()).rejects.toBe(reason);
  });
});
