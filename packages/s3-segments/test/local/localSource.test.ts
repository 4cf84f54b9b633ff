import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeTempDir, type S3TestServer, startS3Server, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listLocalSegments,
  localPath,
  localSource,
  parseInstant,
  parseLayout,
  S3SegmentsError,
  type Segment,
  type SegmentSource,
  s3Source,
  selectWindow,
} from '../../src/index.js';

const T = 1700000000;
let tmp: TempDir;
let s3: S3TestServer;
const files = new Map<string, Buffer>();

async function put(key: string, body: Buffer) {
  files.set(key, body);
  await mkdir(dirname(join(tmp.path, key)), { recursive: true });
  await writeFile(join(tmp.path, key), body);
}

async function collect(iterable: AsyncIterable<Segment>): Promise<Segment[]> {
  const out: Segment[] = [];
  for await (const segment of iterable) out.push(segment);
  return out;
}

beforeAll(async () => {
  tmp = await makeTempDir();
  for (let i = 0; i < 60; i++) {
    const e = T + 2 * i;
    if (e !== T + 20) await put(`recordings/cam01/00/video/${e}.h264`, Buffer.alloc(100 + i, i));
    await put(`recordings/cam01/00/audio/${e}.wav`, Buffer.alloc(50 + i, 255 - i));
    await put(`recordings/cam01/00/video/${e}.jpg`, Buffer.from('thumb'));
    await put(`recordings/cam02/00/video/${e}.h264`, Buffer.from('other camera'));
  }
  await put('recordings/cam01/00/video/notes.txt', Buffer.from('x'));
  const dated = parseInstant('2023-11-14T23:59:00Z');
  for (let i = 0; i < 8; i++) {
    const e = dated + 20 * i;
    const hour = new Date(e * 1000).toISOString().slice(0, 13).replace(/[-T]/g, '/');
    await put(`dated/cam05/${hour}/00/video/${e}.h265`, Buffer.alloc(10, i));
  }
  s3 = await startS3Server();
  await s3.createBucket('mirror');
  await s3.putObjects('mirror', files);
});

afterAll(async () => {
  await s3?.stop();
  await tmp?.remove();
});

describe('listLocalSegments', () => {
  it('selects the window from a directory with the bucket layout', async () => {
    const window = { start: T + 15, end: T + 30 };
    const segments = await collect(listLocalSegments({ root: tmp.path, prefix: 'recordings/cam01', window }));
    const video = [14, 16, 18, 22, 24, 26, 28].map((d) => `recordings/cam01/00/video/${T + d}.h264`);
    const audio = [14, 16, 18, 20, 22, 24, 26, 28].map((d) => `recordings/cam01/00/audio/${T + d}.wav`);
    expect(segments.map((s) => s.key)).toEqual([...video, ...audio]);
    expect(segments[0]).toEqual({ kind: 'video', key: video[0], epoch: T + 14, size: 107, codec: 'h264' });
    expect(selectWindow(segments, window).gaps).toMatchObject([
      { kind: 'video', start: T + 20, end: T + 22 },
    ]);
  });

  it('takes a file:// URL root and a key template', async () => {
    const layout = parseLayout({ video: { template: '{prefix}/{YYYY}/{MM}/{DD}/{HH}/00/video/' } });
    const segments = await collect(
      listLocalSegments({
        root: pathToFileURL(tmp.path).href,
        prefix: 'dated/cam05',
        window: { start: parseInstant('2023-11-14T23:59:50Z'), end: parseInstant('2023-11-15T00:01:00Z') },
        layout,
        kinds: ['video'],
      }),
    );
    expect(segments.map((s) => [new Date(s.epoch * 1000).toISOString().slice(11, 19), s.codec])).toEqual([
      ['23:59:40', 'hevc'],
      ['00:00:00', 'hevc'],
      ['00:00:20', 'hevc'],
      ['00:00:40', 'hevc'],
    ]);
    expect(localPath(pathToFileURL(tmp.path), segments[1]!)).toBe(join(tmp.path, segments[1]!.key));
  });

  it('names a root directory that does not exist, or is a file, instead of listing nothing', async () => {
    const missing = join(tmp.path, 'no-such-dir');
    const window = { start: T, end: T + 9 };
    const error = await collect(
      localSource({ root: missing, prefix: 'recordings/cam01' }).list({ window }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(S3SegmentsError);
    expect(error).toMatchObject({
      code: 'LOCAL_ROOT_NOT_FOUND',
      message: `The segment directory ${missing} does not exist`,
    });
    const file = join(tmp.path, 'recordings/cam01/00/video/notes.txt');
    await expect(collect(listLocalSegments({ root: file, window }))).rejects.toMatchObject({
      code: 'LOCAL_ROOT_NOT_FOUND',
      message: `The segment source ${file} is not a directory`,
    });
  });

  it('treats a missing directory as empty and rejects a bad window', async () => {
    expect(
      await collect(
        listLocalSegments({ root: tmp.path, prefix: 'nothing', window: { start: T, end: T + 9 } }),
      ),
    ).toEqual([]);
    await expect(
      collect(listLocalSegments({ root: tmp.path, window: { start: T + 9, end: T } })),
    ).rejects.toThrow(
      new TypeError(
        'Expected `window.end` to be a time after `window.start` (1700000009), got `1700000000` (number)',
      ),
    );
  });
});

describe('SegmentSource', () => {
  const window = { start: T + 31, end: T + 47 };

  it('lists the same segments from S3 and from the same tree on disk, and both fetch readable files', async () => {
    const dir = join(tmp.path, 'downloads');
    const sources: SegmentSource[] = [
      s3Source({ client: s3.client, bucket: 'mirror', prefix: 'recordings/cam01' }),
      localSource({ root: tmp.path, prefix: 'recordings/cam01' }),
    ];
    const [fromS3, fromDisk] = await Promise.all(sources.map((source) => collect(source.list({ window }))));
    const strip = (segments: Segment[]) =>
      segments.map(({ kind, key, epoch, size, codec }) => ({ kind, key, epoch, size, codec }));
    expect(fromS3).toHaveLength(18); // T+30 (covering) to T+46, both kinds
    expect(strip(fromS3!)).toEqual(strip(fromDisk!));

    const s3Files = await sources[0]!.fetch(fromS3!, { dir, concurrency: 4 });
    const localFiles = await sources[1]!.fetch(fromDisk!, { dir });
    expect(s3Files.bytesDownloaded).toBe(fromS3!.reduce((sum, s) => sum + s.size, 0));
    expect(localFiles).toMatchObject({ bytesDownloaded: 0, requests: 0 });
    for (const [i, file] of localFiles.files.entries()) {
      // Local files are read in place, not copied.
      expect(file.path).toBe(join(tmp.path, file.segment.key));
      expect(file.skipped).toBe(true);
      const original = files.get(file.segment.key)!;
      expect((await readFile(file.path)).equals(original)).toBe(true);
      expect((await readFile(s3Files.files[i]!.path)).equals(original)).toBe(true);
    }
    expect(sources.map((s) => s.location)).toEqual(['s3://mirror/recordings/cam01', tmp.path]);
  });

  it('says which local file is gone', async () => {
    const source = localSource({ root: tmp.path });
    const ghost: Segment = {
      kind: 'video',
      key: 'recordings/cam01/00/video/1600000000.h264',
      epoch: 1600000000,
      size: 3,
    };
    const error = await source.fetch([ghost], { dir: tmp.path }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(S3SegmentsError);
    expect(error).toMatchObject({ code: 'OBJECT_NOT_FOUND', key: ghost.key });
    expect((error as Error).message).toContain('1600000000.h264');
  });
});
