/**
 * streamWavJoin gives the samples planWavJoin gives, byte for byte, while
 * the chunks arrive in any order: what the recorder's encoders read while
 * the audio still downloads.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamWavJoin } from '../src/audio/streamWavJoin.js';
import { planWavJoin, type WavChunk } from '../src/index.js';
import { constantPcm16, wavBytes } from './helpers/wavBytes.js';

const RATE = 8000;

async function collect(blocks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const block of blocks) parts.push(Buffer.from(block));
  return Buffer.concat(parts);
}

/** Ready promises resolved in a seeded shuffled order, a few milliseconds apart. */
function arrivals(count: number, seed: number) {
  const resolvers: (() => void)[] = [];
  const promises = Array.from(
    { length: count },
    () => new Promise<void>((resolve) => resolvers.push(resolve)),
  );
  const order = Array.from({ length: count }, (_, i) => i);
  let state = seed;
  for (let i = count - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  let at = 0;
  const timer = setInterval(() => {
    const next = order[at++];
    if (next === undefined) clearInterval(timer);
    else resolvers[next]?.();
  }, 2);
  return (index: number) => promises[index] as Promise<void>;
}

describe('streamWavJoin', () => {
  let dir: TempDir;
  let chunks: WavChunk[];
  const window = { start: 1000.25, end: 1031 };

  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-stream-');
    // 2-s chunks from 1000, each its own level; 1006 missing (a gap), 1010 empty (damaged),
    // 1014 starts 0.5 s early (an overlap), 1020 is cut short (truncated data chunk), one before the window.
    const specs: [number, Uint8Array][] = [];
    for (let i = 0; i < 16; i++) {
      const epoch = 1000 + 2 * i;
      if (epoch === 1006) continue;
      const start = epoch === 1014 ? 1013.5 : epoch;
      const data = constantPcm16(2 * RATE, 100 * (i + 1));
      const bytes =
        epoch === 1010
          ? new Uint8Array(0)
          : epoch === 1020
            ? wavBytes({ data: data.subarray(0, RATE), declaredDataSize: data.length })
            : wavBytes({ data });
      specs.push([start, bytes]);
    }
    specs.unshift([996, wavBytes({ data: constantPcm16(2 * RATE, 7) })]);
    chunks = [];
    for (const [index, [startTime, bytes]] of specs.entries()) {
      const file = join(dir.path, `${index}.wav`);
      await writeFile(file, bytes);
      chunks.push({ file, startTime, name: `chunk-${startTime}`, bytes: bytes.length });
    }
  });
  afterAll(() => dir.remove());

  it('reads what planWavJoin reads, in ranges that overlap (two encoders), whatever the arrival order', async () => {
    const planned = await planWavJoin({ chunks, window });
    const whole = await collect(planned.read(0, planned.samples));
    // With the sizes (bounded reach, as the recorder gives them) and without (each read waits for
    // every chunk before it).
    const unsized = chunks.map(({ bytes: _, ...chunk }) => chunk);
    for (const [seed, list] of [
      [1, chunks],
      [2, chunks],
      [3, unsized],
    ] as const) {
      const stream = await streamWavJoin({ chunks: list, window, ready: arrivals(list.length, seed) });
      expect(stream.samples).toBe(planned.samples);
      expect(stream.format).toEqual(planned.format);
      const half = Math.floor(stream.samples / 2);
      const [head, tail] = await Promise.all([
        collect(stream.read(0, half + 2048)),
        collect(stream.read(half - 4096, stream.samples)),
      ]);
      const blockAlign = planned.format.blockAlign;
      expect(head.equals(whole.subarray(0, (half + 2048) * blockAlign))).toBe(true);
      expect(tail.equals(whole.subarray((half - 4096) * blockAlign))).toBe(true);
      const { read: _read, ...joined } = await stream.join;
      const { read: __read, ...expected } = planned;
      expect(joined).toEqual(expected);
      expect(joined.gaps.length).toBeGreaterThan(0);
      expect(joined.overlaps.length).toBe(1);
      expect(joined.damaged.map((damage) => damage.reason).sort()).toEqual(['empty', 'truncated']);
    }
  });

  it('reads the second half before the first half is there, from the sizes of its chunks', async () => {
    const planned = await planWavJoin({ chunks, window });
    const whole = await collect(planned.read(0, planned.samples));
    const half = Math.floor(planned.samples / 2);
    const halfTime = window.start + half / RATE;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first chunk (for the format) and every chunk from 2 s before the half on are there.
    const ready = (index: number) =>
      index === 0 || (chunks[index] as WavChunk).startTime >= halfTime - 2 ? Promise.resolve() : held;
    const stream = await streamWavJoin({ chunks, window, ready });
    const tail = await collect(stream.read(half, stream.samples));
    expect(tail.equals(whole.subarray(half * planned.format.blockAlign))).toBe(true);
    release();
    const head = await collect(stream.read(0, half));
    expect(head.equals(whole.subarray(0, half * planned.format.blockAlign))).toBe(true);
  });

  it('fails a read with the download failure of a chunk it needs', async () => {
    const failure = new Error('download failed');
    const stream = await streamWavJoin({
      chunks,
      window,
      ready: (index) => (index < 3 ? Promise.resolve() : Promise.reject(failure)),
    });
    await expect(collect(stream.read(0, stream.samples))).rejects.toBe(failure);
    await expect(stream.join).rejects.toBe(failure);
  });

  it('strict: the first damaged chunk in time order fails the join and the reads', async () => {
    const stream = await streamWavJoin({ chunks, window, strict: true, ready: () => Promise.resolve() });
    await expect(collect(stream.read(0, stream.samples))).rejects.toMatchObject({ code: 'WAV_INVALID' });
    await expect(stream.join).rejects.toMatchObject({ code: 'WAV_INVALID' });
  });

  it('strict: a read fails on a damaged chunk it did not wait for (listed as 0 bytes, there last)', async () => {
    // The empty chunk's size lets a read pass it without its header: the read still ends in failure.
    const late = new Promise<void>((resolve) => setTimeout(resolve, 200));
    const ready = (index: number) =>
      (chunks[index] as WavChunk).startTime === 1010 ? late : Promise.resolve();
    const stream = await streamWavJoin({ chunks, window, strict: true, ready });
    await expect(collect(stream.read(0, stream.samples))).rejects.toMatchObject({ code: 'WAV_INVALID' });
    await expect(stream.join).rejects.toMatchObject({ code: 'WAV_INVALID' });
  });
});
