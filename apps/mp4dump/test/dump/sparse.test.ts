/**
 * A file larger than memory: a sparse 3 GiB file whose mdat has a 64-bit
 * largesize, the moov after it. The dump reads a few kilobytes, never the
 * mdat payload, and keeps memory flat.
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ByteSource } from '@rec/core';
import { openFileSource } from '@rec/core/node';
import { parseBoxes } from '@rec/fmp4-boxes';
import { makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpSource } from '../../src/dump/index.js';
import { DEFAULTS, fixturePath } from './helpers/fixtures.js';

const MDAT_SIZE = 3 * 1024 ** 3;

describe('a sparse 3 GiB file with a 64-bit mdat', () => {
  let temp: TempDir;
  let file: string;
  let moovAt: number;
  beforeAll(async () => {
    temp = await makeTempDir('mp4dump-sparse-');
    file = join(temp.path, 'big.mp4');
    // The moov of 11-opus.mp4 (the last box of that file) after a 3 GiB hole.
    const opus = new Uint8Array(await readFile(fixturePath('11-opus.mp4')));
    const at = parseBoxes(opus, { maxDepth: 0, decoders: [] }).find((box) => box.type === 'moov')?.offset;
    if (at === undefined) throw new Error('11-opus.mp4 has no moov');
    const moov = opus.subarray(at);
    const head = new Uint8Array(36);
    const h = new DataView(head.buffer);
    h.setUint32(0, 20); // ftyp size
    head.set([0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d], 4); // 'ftyp', major_brand 'isom'
    h.setUint32(12, 0x200); // minor_version
    head.set([0x69, 0x73, 0x6f, 0x6d], 16); // compatible_brands 'isom'
    h.setUint32(20, 1); // mdat size: 1, a largesize follows
    head.set([0x6d, 0x64, 0x61, 0x74], 24); // 'mdat'
    h.setBigUint64(28, BigInt(MDAT_SIZE)); // largesize
    moovAt = 20 + MDAT_SIZE;
    const handle = await open(file, 'w');
    try {
      await handle.write(head, 0, head.length, 0);
      await handle.write(moov, 0, moov.length, moovAt); // the gap stays a hole
    } finally {
      await handle.close();
    }
  });
  afterAll(() => temp?.remove());

  it('dumps every box with a few kilobytes read, in flat memory', async () => {
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
    let text = '';
    try {
      const result = await dumpSource(
        source,
        (chunk) => {
          text += chunk;
        },
        { ...DEFAULTS, verbosity: 2, offsets: true },
      );
      expect(result.error).toBeUndefined();
    } finally {
      await inner.close();
    }
    const after = process.memoryUsage();
    expect(text).toContain(`[mdat] @ 20 (0x14) size=16+${MDAT_SIZE - 16}\n`);
    expect(text).toContain(`[moov] @ ${moovAt} (0x${moovAt.toString(16)}) size=8+`);
    expect(text).toContain('output_channel_count = 1\n');
    expect(bytesRead).toBeLessThan(256 * 1024);
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
  });
});
