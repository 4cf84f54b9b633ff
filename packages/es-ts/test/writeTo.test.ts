import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpegDecodeWarnings, makeTempDir, type TempDir, testVideoEncoder } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EsSegment,
  muxElementaryStream,
  muxSegments,
  type TsTarget,
  writableTarget,
} from '../src/index.js';
import { makeTruth } from './helpers/truth.js';

/**
 * Flat memory: sources that read into one reused buffer, and `writeTo`, which
 * reuses its output buffers. Both must give the bytes of the plain path.
 */

let tmp: TempDir;
let h264: Uint8Array;
let hevc: Uint8Array;

beforeAll(async () => {
  tmp = await makeTempDir('es-ts-write-to-');
  const [a, b] = await Promise.all([
    makeTruth(tmp.path, 'pyramid', {
      codec: 'h264',
      seconds: 4,
      encoder: testVideoEncoder({ gop: 25, bframes: 3 }),
    }),
    makeTruth(tmp.path, 'hevc', {
      codec: 'hevc',
      seconds: 2,
      // x265 opens its GOPs by default; this stream was encoded so.
      encoder: testVideoEncoder({ codec: 'hevc', gop: 25, bframes: 4, openGop: true }),
    }),
  ]);
  h264 = new Uint8Array(await readFile(a.es));
  hevc = new Uint8Array(await readFile(b.es));
});
afterAll(async () => {
  await tmp?.remove();
});

/** Yields `bytes` through ONE buffer that is overwritten for every chunk (and scribbled over in between). */
async function* reusedBuffer(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(size);
  for (let at = 0; at < bytes.length; at += size) {
    const n = Math.min(size, bytes.length - at);
    buffer.set(bytes.subarray(at, at + n));
    yield buffer.subarray(0, n);
    buffer.fill(0xa5); // whatever still points here would read garbage
  }
}

/** Fresh chunks: the reference path. */
function* freshChunks(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

async function collect(packets: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of packets) parts.push(p);
  return Buffer.concat(parts);
}

/**
 * A slow target that checks its loan: each chunk must be unchanged until the
 * write settles (the muxer may reuse it only after that).
 */
function checkingTarget(): TsTarget & { bytes(): Buffer; buffers: Set<ArrayBufferLike>; violations: number } {
  const parts: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  let writes = 0;
  const target = {
    violations: 0,
    buffers,
    bytes: () => Buffer.concat(parts),
    write: async (chunk: Uint8Array): Promise<void> => {
      const copy = Buffer.from(chunk);
      parts.push(copy);
      buffers.add(chunk.buffer);
      // Settle after a varying number of turns, so several writes are in flight.
      const turns = writes++ % 4;
      for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
      if (!copy.equals(chunk)) target.violations++;
    },
  };
  return target;
}

describe('sources that reuse their buffer', () => {
  it.each([
    ['h264 (B-pyramid)', 1000, 'h264'],
    ['h264 (B-pyramid)', 4096 + 7, 'h264'],
    ['hevc (4 B-frames)', 1500, 'hevc'],
  ] as const)('%s in %i-byte chunks: the same TS as fresh chunks', async (_, size, codec) => {
    const es = codec === 'h264' ? h264 : hevc;
    const expected = await collect(muxElementaryStream(freshChunks(es, size), { codec }).packets);
    const reused = muxElementaryStream(reusedBuffer(es, size), { codec });
    expect((await collect(reused.packets)).equals(expected)).toBe(true);
    expect((await reused.result).frames).toBeGreaterThan(40);
  });

  it('muxSegments with a window (held GOP and tail) gives the same TS', async () => {
    const segments = (reuse: boolean): EsSegment[] =>
      [0, 5].map((offset, i) => ({
        name: `${i}.h264`,
        startTime: 1_700_000_000 + offset,
        source: () => (reuse ? reusedBuffer(h264, 3000) : freshChunks(h264, 3000)),
      }));
    const options = { origin: 1_700_000_000, keep: { start: 1_700_000_001.5, end: 1_700_000_007.3 } };
    const expected = await collect(muxSegments(segments(false), options).packets);
    const reused = muxSegments(segments(true), options);
    expect((await collect(reused.packets)).equals(expected)).toBe(true);
    const result = await reused.result;
    expect(result.segments.every((s) => s.frames > 0)).toBe(true);
    const target = checkingTarget();
    await muxSegments(segments(true), options).writeTo(target);
    expect(target.bytes().equals(expected)).toBe(true);
    expect(target.violations).toBe(0);
  });
});

describe('writeTo', () => {
  it('writes the same bytes as `packets`, in at most 4 reused buffers, never touching a chunk on loan', async () => {
    // 100 copies of the stream: several times more output than the 4 MiB the pool holds.
    const long = Buffer.concat(Array.from({ length: 100 }, () => h264));
    const expected = await collect(muxElementaryStream(freshChunks(long, 1 << 16), {}).packets);
    expect(expected.length).toBeGreaterThan(12 * (1 << 20));
    const target = checkingTarget();
    const result = await muxElementaryStream(reusedBuffer(long, 1 << 16), {}).writeTo(target);
    expect(target.violations).toBe(0);
    expect(target.bytes().equals(expected)).toBe(true);
    expect(target.buffers.size).toBeLessThanOrEqual(4);
    expect(result.bytesOut).toBe(expected.length);
  });

  it('writes to a file stream through writableTarget; ffmpeg decodes it cleanly', async () => {
    const file = join(tmp.path, 'write-to.ts');
    const sink = createWriteStream(file);
    const result = await muxElementaryStream(reusedBuffer(hevc, 1 << 14), { codec: 'hevc' }).writeTo(
      writableTarget(sink),
    );
    await new Promise<void>((resolve, reject) =>
      sink.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const written = await readFile(file);
    expect(written.length).toBe(result.bytesOut);
    expect(written.equals(await collect(muxElementaryStream([hevc], { codec: 'hevc' }).packets))).toBe(true);
    expect(await ffmpegDecodeWarnings(file)).toBe('');
  });

  it('rejects with the error of a failed write, and so does `result`', async () => {
    const failure = new Error('disk full');
    let writes = 0;
    const output = muxElementaryStream(freshChunks(h264, 4096), {});
    const done = output.writeTo({
      write: async () => {
        if (++writes === 3) throw failure;
      },
    });
    await expect(done).rejects.toBe(failure);
    await expect(output.result).rejects.toBe(failure);
  });

  it('refuses to start once `packets` is being read', async () => {
    const output = muxElementaryStream(freshChunks(h264, 4096), {});
    const iterator = output.packets[Symbol.asyncIterator]();
    await iterator.next();
    await expect(output.writeTo({ write: async () => {} })).rejects.toThrow(
      '`writeTo` was called after `packets` was read',
    );
    await iterator.return?.();
  });
});
