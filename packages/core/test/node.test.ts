import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  atomicFile,
  openFileSource,
  PartWriter,
  partPath,
  withAtomicFile,
  writeFileAtomic,
} from '../src/node/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rec-core-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openFileSource', () => {
  it.each([
    ['thread-pool reads', false],
    ['blocking reads', true],
  ])('reads ranges of a file without loading the rest (%s)', async (_, blocking) => {
    const path = join(dir, 'f.bin');
    await writeFile(
      path,
      Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff),
    );
    const source = await openFileSource(path, { blocking });
    try {
      expect(await source.size()).toBe(1000);
      expect([...(await source.read(998, 1010))]).toEqual([998 & 0xff, 999 & 0xff]);
      expect([...(await source.read(256, 260))]).toEqual([0, 1, 2, 3]);
      expect((await source.read(1000, 1004)).length).toBe(0);
      expect(source.name).toBe(path);
      const aborted = AbortSignal.abort(new Error('stop'));
      await expect(source.read(0, 4, aborted)).rejects.toThrow('stop');
    } finally {
      await source.close();
    }
  });

  it('blocking reads never hand out the same bytes twice: every view kept still holds its range', async () => {
    const path = join(dir, 'f.bin');
    const content = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
    await writeFile(path, content);
    const source = await openFileSource(path, { blocking: true });
    const kept: [number, Uint8Array][] = [];
    try {
      // Small reads (shared slabs, crossing from one to the next) and large ones (their own buffers).
      for (let start = 0; start < 290_000; start += 997) {
        const length = start % 5 === 0 ? 20_000 : 1 + (start % 4096);
        kept.push([start, await source.read(start, start + length)]);
      }
    } finally {
      await source.close();
    }
    for (const [start, bytes] of kept) {
      expect(Buffer.from(bytes).equals(content.subarray(start, start + bytes.length))).toBe(true);
    }
  });

  it('blocking reads still give the event loop a turn during a long series of reads', async () => {
    const path = join(dir, 'big.bin');
    await writeFile(path, new Uint8Array(1 << 20));
    const source = await openFileSource(path, { blocking: true });
    let turns = 0;
    const timer = setInterval(() => turns++, 1);
    try {
      const until = performance.now() + 100;
      while (performance.now() < until) await source.read(0, 1 << 20);
    } finally {
      clearInterval(timer);
      await source.close();
    }
    expect(turns).toBeGreaterThan(0);
  });

  it('blocking reads give the event loop its turns across many short-lived sources too', async () => {
    // A dump of 3,000 small files: a source per file, each read for less than a turn's time.
    const path = join(dir, 'small.bin');
    await writeFile(path, new Uint8Array(64 << 10));
    let turns = 0;
    const timer = setInterval(() => turns++, 1);
    try {
      const until = performance.now() + 150;
      while (performance.now() < until) {
        const source = await openFileSource(path, { blocking: true });
        await source.read(0, 64 << 10);
        await source.close();
      }
    } finally {
      clearInterval(timer);
    }
    expect(turns).toBeGreaterThan(0);
  });
});

describe('atomic writes', () => {
  it('show the file under its name only when complete', async () => {
    const path = join(dir, 'out.bin');
    await withAtomicFile(path, async (part) => {
      expect(part).toBe(partPath(path));
      await writeFile(part, 'half');
      expect(await readdir(dir)).toEqual(['out.bin.part']);
    });
    expect(await readdir(dir)).toEqual(['out.bin']);
    expect(await readFile(path, 'utf8')).toBe('half');
  });

  it('leave the previous file untouched and no part file when the write fails', async () => {
    const path = join(dir, 'out.bin');
    await writeFile(path, 'previous');
    await expect(
      withAtomicFile(path, async (part) => {
        await writeFile(part, 'new');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readdir(dir)).toEqual(['out.bin']);
    expect(await readFile(path, 'utf8')).toBe('previous');
  });

  it('overwrite a part file a killed run left, and stream chunks', async () => {
    const path = join(dir, 'out.bin');
    await writeFile(partPath(path), 'stale bytes from a killed run');
    async function* chunks() {
      yield Uint8Array.from([1, 2]);
      yield Uint8Array.from([3]);
    }
    expect(await writeFileAtomic(path, chunks())).toBe(3);
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['out.bin']);
  });

  it('give concurrent writers of one path their own part files; the last rename wins whole', async () => {
    const path = join(dir, 'out.bin');
    const a = atomicFile(path, { unique: true });
    const b = atomicFile(path, { unique: true });
    expect(a.partPath).not.toBe(b.partPath);
    expect(a.partPath).toMatch(/out\.bin\.[0-9a-f]{8}\.part$/);
    await writeFile(a.partPath, 'from a');
    await writeFile(b.partPath, 'from b');
    await a.commit();
    await b.commit();
    expect(await readFile(path, 'utf8')).toBe('from b');
    expect(await readdir(dir)).toEqual(['out.bin']);
    await writeFileAtomic(path, 'unique', { unique: true });
    expect(await readdir(dir)).toEqual(['out.bin']);
  });

  it('stop on abort, removing the part file', async () => {
    const path = join(dir, 'out.bin');
    const controller = new AbortController();
    async function* forever() {
      for (;;) {
        yield new Uint8Array(1024);
        controller.abort(new Error('stop'));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    await expect(writeFileAtomic(path, forever(), { signal: controller.signal })).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('PartWriter', () => {
  it('writes the chunks it takes at their offsets, in batches, the rest on close', async () => {
    const path = join(dir, 'f.part');
    const writer = await PartWriter.open(path, 'w', 0);
    const chunks = Array.from({ length: 36 }, (_, i) => Buffer.alloc(64 * 1024, i));
    for (const chunk of chunks) writer.write(chunk);
    // 512 KiB batches: 4 of them on disk, the last half batch held until close.
    expect(writer.written).toBe(32 * 64 * 1024);
    expect((await readFile(path)).length).toBe(writer.written);
    writer.close();
    writer.close(); // once: a second close does nothing
    expect(writer.written).toBe(36 * 64 * 1024);
    expect((await readFile(path)).equals(Buffer.concat(chunks))).toBe(true);
  });

  it("continues an existing part ('r+') at the given offset, keeping the bytes before it", async () => {
    const path = join(dir, 'g.part');
    await writeFile(path, Buffer.from('abcdef'));
    const writer = await PartWriter.open(path, 'r+', 4);
    writer.write(Buffer.from('XYZ'));
    writer.close();
    expect((await readFile(path)).toString()).toBe('abcdXYZ');
    expect(writer.written).toBe(3);
  });
});
