/**
 * Files larger than memory: a sparse 3 GiB file whose mdat has a 64-bit
 * largesize, with the moov after it. Walking it reads a few kilobytes and
 * keeps memory flat (the mdat payload is never read).
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ByteSource } from '@rec/core';
import { openFileSource } from '@rec/core/node';
import { box, bytes, fourcc, makeTempDir, type TempDir, u32, u64 } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Box, findBox, parseBoxes, readBoxes } from '../src/index.js';
import { fixtureBytes } from './helpers/bento4.js';

const MDAT_SIZE = 3 * 1024 ** 3;

describe('a sparse 3 GiB file with a 64-bit mdat', () => {
  let temp: TempDir;
  let file: string;
  let moovAt: number;
  let moov: Uint8Array;
  beforeAll(async () => {
    temp = await makeTempDir('fmp4-boxes-sparse-');
    file = join(temp.path, 'big.mp4');
    const opus = fixtureBytes('11-opus.mp4');
    const moovBox = parseBoxes(opus, { maxDepth: 0 }).find((b) => b.type === 'moov')!;
    moov = opus.subarray(moovBox.offset, moovBox.offset + moovBox.size);
    const head = bytes(
      box('ftyp', fourcc('isom'), u32(512), fourcc('isom')), // 20 bytes
      u32(1), // mdat size: 1, a largesize follows
      fourcc('mdat'), // type
      u64(MDAT_SIZE), // largesize
    );
    moovAt = 20 + MDAT_SIZE;
    const handle = await open(file, 'w');
    try {
      await handle.write(head, 0, head.length, 0);
      await handle.write(moov, 0, moov.length, moovAt); // the gap stays a hole: nothing is written there
    } finally {
      await handle.close();
    }
  });
  afterAll(() => temp?.remove());

  it('is walked in full, reading a few kilobytes, in flat memory', async () => {
    expect((await stat(file)).size).toBe(moovAt + moov.length);
    const inner = await openFileSource(file);
    let bytesRead = 0;
    const source: ByteSource = {
      size: () => inner.size(),
      async read(start, end, signal) {
        const got = await inner.read(start, end, signal);
        bytesRead += got.length;
        return got;
      },
    };
    global.gc?.();
    const before = process.memoryUsage();
    const top: Box[] = [];
    let count = 0;
    try {
      for await (const b of readBoxes(source)) {
        count++;
        if (b.depth === 0) top.push(b);
      }
    } finally {
      await inner.close();
    }
    const after = process.memoryUsage();
    expect(top.map((b) => [b.type, b.offset, b.size, b.headerSize])).toEqual([
      ['ftyp', 0, 20, 8],
      ['mdat', 20, MDAT_SIZE, 16],
      ['moov', moovAt, moov.length, 8],
    ]);
    expect(findBox(top, 'moov/trak/mdia/minf/stbl/stsd/Opus/dOps')).toMatchObject({ outputChannelCount: 1 });
    expect(count).toBe(2 + parseBoxesCount(moov)); // ftyp, mdat, then moov and everything in it
    // One read-ahead window at the start (the file's head) and one at the moov.
    expect(bytesRead).toBeLessThan(2 * 64 * 1024);
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(8 * 1024 * 1024);
  });
});

function parseBoxesCount(bytes: Uint8Array): number {
  let count = 0;
  const walk = (list: Box[]) => {
    for (const b of list) {
      count++;
      walk(b.children ?? []);
    }
  };
  walk(parseBoxes(bytes));
  return count;
}
